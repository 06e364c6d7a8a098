from hvplanner.cli import main

raise SystemExit(main())
