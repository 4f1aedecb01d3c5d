"""Start KOL Desk from a checkout: ``python main.py [--demo] [--db PATH]``."""

from kol_desk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
