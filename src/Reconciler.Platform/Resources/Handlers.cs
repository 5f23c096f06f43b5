namespace Reconciler.Platform.Resources;

/// <summary>The handlers of every collection, in reference order.</summary>
internal static class Handlers
{
    public static readonly OfficeHoursHandler OfficeHours = new();
    public static readonly RoleHandler Roles = new();
    public static readonly TagGroupHandler TagGroups = new();
    public static readonly SsoProviderHandler SsoProviders = new();
    public static readonly BusinessUnitHandler BusinessUnits = new();
    public static readonly AgentHandler Agents = new();
    public static readonly ChannelHandler Channels = new();
    public static readonly ReplyTemplateHandler ReplyTemplates = new();
    public static readonly OrganizationHandler Organization = new();

    public static readonly IReadOnlyList<IResourceHandler> All = [OfficeHours, Roles, TagGroups, SsoProviders, BusinessUnits, Agents, Channels, ReplyTemplates, Organization];
}
