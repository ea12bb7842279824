Console.WriteLine("emulator");
