"""pressespiegel: news intelligence for German-language news.

Library first: ``pressespiegel.pipeline.analyze`` and ``run``, ``pressespiegel.store.open_store``,
``pressespiegel.review.report`` and ``pressespiegel.export``; the ``pressespiegel`` command is a thin shell over them.
"""

__version__ = "0.1.0"
