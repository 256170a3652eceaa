"""Pipeline stages: each module holds one stage, a plain callable ``Document -> Document``.

A stage declares ``requires`` and ``provides`` (names of document layers); ``rasid.pipeline``
checks them when the pipeline is built.
"""
