namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>How a <see cref="FakeKubernetesApiServer"/> starts.</summary>
public sealed record FakeKubernetesApiServerOptions
{
    /// <summary>Clock for creationTimestamp and deletionTimestamp.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often open watches that asked for bookmarks get one; <see cref="FakeKubernetesApiServer.SendBookmarks"/> sends one at once.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Changes kept for watches to resume from; older ones are compacted away (410 Expired).</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>When set, every request must carry <c>Authorization: Bearer</c> with this token (changeable later).</summary>
    public string? BearerToken { get; init; }

    /// <summary>Serve HTTPS with this certificate instead of plain HTTP.</summary>
    public TestCertificate? ServerCertificate { get; init; }

    /// <summary>The CA that issued <see cref="ServerCertificate"/>, written into generated kubeconfigs.</summary>
    public TestCertificate? CertificateAuthority { get; init; }

    /// <summary>With HTTPS, require a client certificate issued by this CA.</summary>
    public TestCertificate? ClientCertificateAuthority { get; init; }

    /// <summary>
    /// When set, clients may list and watch namespaced resources only inside these namespaces, as a namespaced Role
    /// per namespace grants: a cluster-wide or other-namespace list or watch gets the API server's 403 Forbidden.
    /// Null grants everything, as a ClusterRole does.
    /// </summary>
    public IReadOnlySet<string>? ListWatchNamespaces { get; init; }
}

/// <summary>One request the fake server received, for assertions: the Kubernetes verb and what it addressed.</summary>
/// <param name="Verb">get, list, watch, create, update, patch or delete.</param>
/// <param name="Resource">The plural resource name, e.g. <c>widgets</c>.</param>
/// <param name="Subresource">"status" for the status subresource, otherwise null.</param>
/// <param name="Namespace">The namespace in the URL, if any.</param>
/// <param name="Name">The object name in the URL; null for collection requests.</param>
/// <param name="User">Who authenticated: the client certificate's common name, "token", or null.</param>
/// <param name="Connection">The server's id of the connection the request came on: which requests shared one.</param>
public sealed record FakeApiRequest(string Verb, string Resource, string? Subresource, string? Namespace, string? Name, string? User, string Connection);
