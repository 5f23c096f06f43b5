using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Reconciler.Operator.Metrics;

/// <summary>
/// Renders System.Diagnostics.Metrics instruments in the Prometheus text exposition format 0.0.4.
/// The registry serves no Prometheus exporter, so this is the smallest honest replacement: it
/// listens to the named meters, keeps one aggregate per instrument and tag set, and renders on
/// scrape. Counters become <c>_total</c> counters, histograms get cumulative <c>le</c> buckets,
/// up-down counters and observable gauges become gauges.
/// </summary>
public sealed class PrometheusTextExporter : IDisposable
{
    /// <summary>Bucket bounds in seconds, suited to reconcile and request durations.</summary>
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> instruments = new();

    /// <param name="meterNames">Meters to export.</param>
    /// <param name="scope">
    /// When given, only meters of this scope (the <see cref="IMeterFactory"/> that created them) are exported, so two
    /// hosts in one process, each with its own factory, do not report each other's measurements.
    /// </param>
    public PrometheusTextExporter(IReadOnlyCollection<string> meterNames, object? scope = null)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!meterNames.Contains(instrument.Meter.Name) || (scope is not null && !ReferenceEquals(instrument.Meter.Scope, scope)))
            {
                return;
            }

            instruments[instrument] = new InstrumentState(instrument);
            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The current values of every instrument, as a scrape response body.</summary>
    public string Render()
    {
        // Observable instruments report only when asked.
        listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var state in instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            state.WriteTo(text);
        }

        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instruments.TryGetValue(instrument, out var state))
        {
            state.Record(value, LabelSet.From(tags));
        }
    }

    private sealed class InstrumentState(Instrument instrument)
    {
        private readonly ConcurrentDictionary<LabelSet, Series> series = new();

        private readonly string kind = instrument switch
        {
            Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
            _ => "gauge",
        };

        public string Name { get; } = PrometheusName(instrument);

        public void Record(double value, LabelSet labels)
        {
            var s = series.GetOrAdd(labels, _ => new Series(kind == "histogram" ? DefaultBounds.Length : 0));
            lock (s)
            {
                switch (kind)
                {
                    case "histogram":
                        s.Count++;
                        s.Value += value;
                        for (var b = 0; b < DefaultBounds.Length; b++)
                        {
                            if (value <= DefaultBounds[b])
                            {
                                s.Buckets[b]++;
                            }
                        }

                        break;
                    case "counter" when instrument.IsObservable:
                        s.Value = value;
                        break;
                    case "counter":
                        s.Value += value;
                        break;
                    default:
                        // Observable gauges report absolute values; up-down counters report deltas.
                        s.Value = instrument.IsObservable ? value : s.Value + value;
                        break;
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            if (series.IsEmpty)
            {
                return;
            }

            var help = instrument.Description ?? instrument.Name;
            text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(help)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(kind).Append('\n');
            foreach (var (labels, s) in series.OrderBy(p => p.Key.Text, StringComparer.Ordinal))
            {
                lock (s)
                {
                    if (kind == "histogram")
                    {
                        for (var b = 0; b < DefaultBounds.Length; b++)
                        {
                            Sample(text, Name + "_bucket", labels.With("le", Format(DefaultBounds[b])), s.Buckets[b]);
                        }

                        Sample(text, Name + "_bucket", labels.With("le", "+Inf"), s.Count);
                        Sample(text, Name + "_sum", labels.Text, s.Value);
                        Sample(text, Name + "_count", labels.Text, s.Count);
                    }
                    else
                    {
                        Sample(text, Name, labels.Text, s.Value);
                    }
                }
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, double value) =>
            text.Append(name).Append(labels).Append(' ').Append(Format(value)).Append('\n');

        private static string Format(double value) => value switch
        {
            double.PositiveInfinity => "+Inf",
            double.NegativeInfinity => "-Inf",
            _ when double.IsNaN(value) => "NaN",
            _ => value.ToString("R", CultureInfo.InvariantCulture),
        };

        private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

        private static string PrometheusName(Instrument instrument)
        {
            var name = new StringBuilder();
            foreach (var c in instrument.Name)
            {
                name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
            }

            var unitSuffix = instrument.Unit switch
            {
                "s" => "_seconds",
                "By" => "_bytes",
                _ => "",
            };
            if (unitSuffix.Length > 0 && !name.ToString().EndsWith(unitSuffix, StringComparison.Ordinal))
            {
                name.Append(unitSuffix);
            }

            var isCounter = instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double>;
            if (isCounter && !name.ToString().EndsWith("_total", StringComparison.Ordinal))
            {
                name.Append("_total");
            }

            return name.ToString();
        }
    }

    private sealed class Series(int bucketCount)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[] Buckets { get; } = new long[bucketCount];
    }

    /// <summary>A rendered, sorted label set; also the series' identity.</summary>
    private readonly record struct LabelSet(string Text)
    {
        public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return new LabelSet("");
            }

            var pairs = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var tag in tags)
            {
                pairs.Add(new(SanitizeLabelName(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
            }

            pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return new LabelSet("{" + string.Join(",", pairs.Select(p => $"{p.Key}=\"{EscapeValue(p.Value)}\"")) + "}");
        }

        public string With(string name, string value) =>
            Text.Length == 0 ? $"{{{name}=\"{value}\"}}" : $"{Text[..^1]},{name}=\"{value}\"}}";

        private static string SanitizeLabelName(string key)
        {
            var chars = key.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
            return new string(chars);
        }

        private static string EscapeValue(string value) =>
            value.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal);
    }
}
