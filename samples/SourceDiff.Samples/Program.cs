System.Console.WriteLine("SourceDiff samples");
