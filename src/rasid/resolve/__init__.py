"""Cross-document identity: one ``kb_id`` per real entity.

Identity is a deterministic function of what the document says (gazetteer id, or a key built
from the normalised name), so articles can be processed in any order and in parallel and still
agree; the knowledge base then merges aliases under that id.
"""
