using OllamaGateway.Server.Commands;

// The command line: `serve` (the default) runs the gateway; the other commands manage its files.
return args.Length > 0 && !args[0].StartsWith('-') ? CommandLine.Run(args[0], args[1..]) : ServeCommand.Run(args);
