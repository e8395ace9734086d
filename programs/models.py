"""Programmes, safeguarding and apprenticeship (DESIGN.md §3 "programs").

No models yet: they arrive with the programmes issue (#6).
"""
