"""The Qt user interface: widgets, dialogs and Qt item models. Talks to services only."""
