from vendor_desk.app import main

raise SystemExit(main())
