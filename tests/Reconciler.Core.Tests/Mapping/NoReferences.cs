using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Mapping;

/// <summary>A resolver for mapper tests whose resources reference nothing: every reference is missing.</summary>
internal sealed class NoReferences : IReferenceResolver
{
    public ReferenceLookup Resolve(ResourceId target) => ReferenceLookup.Missing;
}
