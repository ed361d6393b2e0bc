"""The papyrus program's own modules: stack settings and the app's environment contract.

Not part of the published component package; `__main__.py` composes the components
with these.
"""
