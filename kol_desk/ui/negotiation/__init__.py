"""The negotiation desk: a fair price with its evidence for one account (view.py), and
the printable negotiation sheet (sheet.py)."""
