"""One module per `kinerja` subcommand; each only parses options, calls the engine and renders."""
