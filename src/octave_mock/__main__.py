from octave_cli.main import main

raise SystemExit(main())
