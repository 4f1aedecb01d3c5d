"""Application services: the operations the GUI and the command line share. No Qt."""
