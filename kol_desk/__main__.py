from kol_desk.cli import main

raise SystemExit(main())
