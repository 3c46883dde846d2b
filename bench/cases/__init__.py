"""City-scale benchmarks behind ``manage.py bench``.

One module per group of cases; each returns :class:`~.results.Row` objects that
``results`` prints as one table and writes to ``docs/PERFORMANCE.md``:

* ``api``: the public API's matter list against raw SQL + ``json.dumps``;
* ``pages``: public pages through the whole Django stack, timed in process;
* ``pdfs``: the formal PDFs, each in a fresh child process (peak memory);
* ``reminders``: one reminder scan over 10,000 due objects;
* ``load``: gunicorn as in production under ``wrk`` on loopback, against a hello view.

Fixtures are written inside transactions that are rolled back; the scale data itself
(``manage.py seed_scale``) is only read.
"""
