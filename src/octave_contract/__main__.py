from octave_contract.cli import main

raise SystemExit(main())
