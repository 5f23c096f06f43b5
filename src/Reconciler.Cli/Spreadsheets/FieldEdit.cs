using System.Text.Json.Nodes;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>A change to one top-level field of a document's <c>spec</c>: set it to <see cref="Value"/>, or remove it when null.</summary>
internal sealed record FieldEdit(string Field, JsonNode? Value);
