"""Entry script of the frozen app (PyInstaller): ``main`` of the ``vendor-desk`` command.

Started with ``--search-postings-child`` it is the search index's helper process instead
(``vendor_desk.cache.search.postings_child``: a frozen app has no Python interpreter to start),
before the command line, Qt or anything else of the app is loaded.
"""

import sys

if sys.argv[1:] == ["--search-postings-child"]:
    from vendor_desk.cache.search import postings_child

    postings_child()
    raise SystemExit(0)

from vendor_desk.app import main

raise SystemExit(main())
