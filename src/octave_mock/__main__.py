from octave_mock.cli import main

raise SystemExit(main())
