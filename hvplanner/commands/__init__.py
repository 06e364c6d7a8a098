"""The CLI's subcommands: argument handling and output over the Qt-free layers."""
