from stance.training.cli import main

raise SystemExit(main())
