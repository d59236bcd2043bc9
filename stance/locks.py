"""One re-entrant lock per shared object, so a pipeline can be used from several threads.

spaCy's ``Language`` and Hugging Face fast tokenizers are not documented as safe to call
from several threads at once (a fast tokenizer whose truncation settings change between
calls can fail with "Already borrowed"), and both are shared: spaCy pipelines are cached
per process, and a loaded model may serve several :class:`~stance.pipeline.Pipeline`
objects. The pipeline therefore takes the lock of the object it calls (the spaCy pipeline
for a parse, the model for a forward pass or an embedding), so a parse in one thread can
overlap a forward pass in another while no object is entered by two threads at once.

Example:
    >>> lock = lock_for(object)
    >>> lock is lock_for(object)
    True
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

__all__ = ["lock_for"]

_LOCKS: weakref.WeakKeyDictionary[Any, threading.RLock] = weakref.WeakKeyDictionary()
_BY_ID: dict[int, tuple[Any, threading.RLock]] = {}  # objects that cannot be weakly referenced
_GUARD = threading.Lock()


def lock_for(obj: Any) -> threading.RLock:
    """The lock that guards ``obj`` (made on first request; lives as long as ``obj``)."""
    with _GUARD:
        try:
            lock = _LOCKS.get(obj)
            if lock is None:
                lock = _LOCKS[obj] = threading.RLock()
            return lock
        except TypeError:  # not weakly referenceable, or unhashable: keep it alive with its lock
            held = _BY_ID.get(id(obj))
            if held is None or held[0] is not obj:
                held = _BY_ID[id(obj)] = (obj, threading.RLock())
            return held[1]
