"""Entry script of the frozen app (PyInstaller): ``main`` of the ``vendor-desk`` command.

Started with ``--search-postings-child`` it is the search index's helper process instead
(``vendor_desk.cache.search.postings_child``: a frozen app has no Python interpreter to start),
before the command line, Qt or anything else of the app is loaded. Started by
:mod:`multiprocessing` (the document renderer's child,
``vendor_desk.documents.render_process``), ``freeze_support`` runs the child and exits.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if sys.argv[1:] == ["--search-postings-child"]:
        from vendor_desk.cache.search import postings_child

        postings_child()
        raise SystemExit(0)

    from vendor_desk.app import main

    raise SystemExit(main())
