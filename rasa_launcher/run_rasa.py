"""Start `rasa` with the action server's answers checked by a validator built once.

Rasa 3.6 checks every action server answer with `jsonschema.validate`, which
first checks the schema itself: about 17 ms of CPU per custom action call,
most of a turn's cost on this bot (measured with pyinstrument, bench/chat_load.py:
Rasa's CPU per turn 56 ms -> 26 ms with this). The answers are still checked
against the same schema; only the schema's own check is done once, at start.

Runs in .venv-rasa (it imports rasa): `bot.stack.rasa_argv` starts Rasa with it.
It is not in shopdesk_nlu/, whose files are training inputs.
"""

from __future__ import annotations

import sys
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions import action as rasa_action

_SPEC = rasa_action.RemoteAction.action_response_format_spec()
_VALIDATOR = validators.validator_for(_SPEC)(_SPEC)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """The same check as Rasa's, with the prepared validator."""
    try:
        _VALIDATOR.validate(result)
    except ValidationError as exc:
        exc.message += ". Failed to validate Action server response from API."
        raise
    return True


rasa_action.RemoteAction._validate_action_result = _validate_action_result


if __name__ == "__main__":
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
