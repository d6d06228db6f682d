"""Answers to policy questions, found by meaning in the shop's knowledge base.

`answer_policy_question` (in `crm.knowledge.search`) is the service; the
entries are Markdown files in `data/kb/<language>/`. Nothing here imports
torch until a question is asked or `warm_up` is called.
"""
