namespace System.Runtime.CompilerServices;

/// <summary>Lets records compile for netstandard2.0, which lacks the type init-only setters are marked with.</summary>
internal static class IsExternalInit;
