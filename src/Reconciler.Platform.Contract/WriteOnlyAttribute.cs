namespace Reconciler.Platform.Contract;

/// <summary>
/// Marks a secret field the platform accepts on create and replace but never returns, and masks in its audit trail;
/// the one place a DTO's secrets are declared (see <see cref="WriteOnlyFields"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WriteOnlyAttribute : Attribute;
