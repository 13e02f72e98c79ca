"""One module per command (group) of the `newsvault` CLI.

Each module has `register(subparsers)`, which adds its parser(s) and sets `func` to a function
`(args) -> exit status`. Adding a command is adding a module name to `newsvault.cli.COMMAND_MODULES`.
"""
