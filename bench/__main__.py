from bench.throughput import main

raise SystemExit(main())
