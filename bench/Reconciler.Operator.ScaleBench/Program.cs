using System.Globalization;

namespace Reconciler.Benchmarks;

/// <summary>
/// The operator's initial sync of a large organisation next to the CLI's apply of the same organisation, in one run:
/// the reference platform (SQLite, loopback, in this process), the test suite's fake Kubernetes API server (loopback,
/// in this process), and the <c>reconciler</c> CLI as a process for both <c>apply</c> and <c>operator</c>.
/// Usage: <c>dotnet run -c Release --project bench/Reconciler.Operator.ScaleBench -- [--cli PATH] [--steady SECONDS] [--resync DURATION] [--skip-cli] [--timeout SECONDS] [agents...]</c>
/// (default 1000 10000; PATH is the CLI's apphost or dll, default the Release build of src/Reconciler.Cli).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var settings = new ScaleSettings { Cli = CliProcess.DefaultCli() };
        var sizes = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cli": settings = settings with { Cli = Path.GetFullPath(args[++i]) }; break;
                case "--steady": settings = settings with { SteadySeconds = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--resync": settings = settings with { ResyncInterval = args[++i] }; break;
                case "--skip-cli": settings = settings with { SkipCli = true }; break;
                case "--timeout": settings = settings with { SyncTimeout = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture)) }; break;
                default: sizes.Add(int.Parse(args[i], CultureInfo.InvariantCulture)); break;
            }
        }

        if (sizes.Count == 0)
            sizes.AddRange([1_000, 10_000]);
        Console.WriteLine($"CLI: {settings.Cli}");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Organisation: {ScaleRun.Roles} roles, {ScaleRun.Units} business units, {OrganizationGenerator.OfficeHoursCount} office hours, N agents; resyncInterval {settings.ResyncInterval}, steady-state window {settings.SteadySeconds} s");

        var rows = new List<ScaleRow>();
        foreach (var agents in sizes)
        {
            var row = await ScaleRun.MeasureAsync(agents, settings);
            Console.WriteLine(row.Summary());
            rows.Add(row);
        }

        Console.WriteLine();
        Console.WriteLine(ScaleRow.Header);
        foreach (var row in rows)
            Console.WriteLine(row.TableLine());
        return rows.All(r => r.Ok) ? 0 : 1;
    }
}
