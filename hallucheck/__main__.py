from hallucheck.cli import main

raise SystemExit(main())
