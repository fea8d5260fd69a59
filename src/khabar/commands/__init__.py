"""Commands of ``khabar`` that live in modules of their own (see ``khabar.cli.COMMAND_MODULES``).

Each module has ``NAMES``, ``EXAMPLES``, ``register(sub, add)`` and ``run(args) -> int``, and
imports nothing heavy at module level (``khabar --help`` imports every one of them).
"""
