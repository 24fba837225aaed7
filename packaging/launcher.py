"""Entry script of the frozen app (PyInstaller): ``main`` of the ``vendor-desk`` command."""

from vendor_desk.app import main

raise SystemExit(main())
