using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>
/// Channels. The Telegram token and the LINE channel secret and access token are write-only on the platform, so they
/// are never compared: each has its own fingerprint label (<see cref="SecretFingerprint"/>), so rotating one of them
/// is seen and pushed, and the plan names that one.
/// </summary>
public sealed class ChannelMapper : KindMapper<Channel, ChannelDto>
{
    public const string TelegramTokenField = "telegram.token";
    public const string LineChannelSecretField = "line.channelSecret";
    public const string LineAccessTokenField = "line.accessToken";

    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("type"),
        new("displayName"),
        new("enabled") { Default = true },
        new("businessUnitId") { ReferenceKind = "BusinessUnit" },
        new("webChat", ComparisonShape.Object)
        {
            Children = [new("widgetName"), new("widgetStatus") { Default = "Active" }, new("allowedDomains", ComparisonShape.CaseInsensitiveSet)],
        },
        new("whatsApp", ComparisonShape.Object) { Children = [new("phoneNumber"), new("businessAccountId")] },
        new("facebook", ComparisonShape.Object) { Children = [new("pageId")] },
        new("instagram", ComparisonShape.Object) { Children = [new("accountId")] },
        new("email", ComparisonShape.Object) { Children = [new("address"), new("displayName")] },
        new("telegram", ComparisonShape.Object)
        {
            Children = [new("botName"), new("botUsername"), new("token") { WriteOnly = true, ManifestName = "tokenSecretRef" }],
        },
        new("line", ComparisonShape.Object)
        {
            Children =
            [
                new("channelName"),
                new("channelSecret") { WriteOnly = true, ManifestName = "channelSecretRef" },
                new("accessToken") { WriteOnly = true, ManifestName = "accessTokenSecretRef" },
            ],
        },
    ];

    protected override IEnumerable<SecretKeyRef> SecretReferences(Channel resource) => Credentials(resource).Select(c => c.Reference);

    protected override DesiredObject Map(Channel resource, MappingContext context)
    {
        var spec = resource.Spec;
        var labels = new Dictionary<string, string>();
        var fieldLabels = new Dictionary<string, string>();
        var values = new Dictionary<string, string>();
        foreach (var (field, manifestPath, reference) in Credentials(resource))
        {
            var secret = context.Secrets.Lookup(reference);
            if (secret.Value is null)
                throw new SecretNotFoundException(manifestPath, secret.Error!);
            var label = Ownership.SecretFingerprintLabelOf(field);
            labels[label] = context.Secrets.Fingerprint(reference, secret.Value, context.ObservedLabels?.GetValueOrDefault(label));
            fieldLabels[field] = label;
            if (context.IncludeSecretValues)
                values[field] = secret.Value;
        }

        var body = Body(new ChannelDto
        {
            Name = resource.Metadata.Name,
            Type = spec.Type.ToString(),
            DisplayName = spec.DisplayName,
            Enabled = spec.Enabled,
            BusinessUnitId = ResolveOne(resource, context, "spec.businessUnitRef"),
            WebChat = spec.WebChat is { } web
                ? new WebChatDto { WidgetName = web.WidgetName, WidgetStatus = web.WidgetStatus.ToString(), AllowedDomains = [.. web.AllowedDomains] }
                : null,
            WhatsApp = spec.WhatsApp is { } whatsApp ? new WhatsAppDto { PhoneNumber = whatsApp.PhoneNumber, BusinessAccountId = whatsApp.BusinessAccountId } : null,
            Facebook = spec.Facebook is { } facebook ? new FacebookDto { PageId = facebook.PageId } : null,
            Instagram = spec.Instagram is { } instagram ? new InstagramDto { AccountId = instagram.AccountId } : null,
            Email = spec.Email is { } email ? new EmailChannelDto { Address = email.Address, DisplayName = email.DisplayName } : null,
            Telegram = spec.Telegram is { } telegram
                ? new TelegramDto { BotName = telegram.BotName, BotUsername = telegram.BotUsername, Token = values.GetValueOrDefault(TelegramTokenField) }
                : null,
            Line = spec.Line is { } line
                ? new LineDto { ChannelName = line.ChannelName, ChannelSecret = values.GetValueOrDefault(LineChannelSecretField), AccessToken = values.GetValueOrDefault(LineAccessTokenField) }
                : null,
        });
        return body with { SecretLabels = labels, SecretFields = [.. fieldLabels.Keys], FingerprintLabels = fieldLabels };
    }

    protected override Channel Export(ChannelDto wire, ExportContext context)
    {
        var name = NameOf(wire, context);
        return new Channel
        {
            Metadata = Meta(name),
            Spec = new ChannelSpec
            {
                Type = ReadEnum(wire.Type, ChannelType.WebChat),
                DisplayName = wire.DisplayName,
                Enabled = wire.Enabled,
                BusinessUnitRef = RefTo<BusinessUnit>(context, wire.BusinessUnitId),
                WebChat = wire.WebChat is not { } web ? null : new WebChatSettings
                {
                    WidgetName = web.WidgetName ?? "",
                    WidgetStatus = ReadEnum(web.WidgetStatus, WidgetStatus.Active),
                    AllowedDomains = web.AllowedDomains ?? [],
                },
                WhatsApp = wire.WhatsApp is not { } whatsApp ? null : new WhatsAppSettings
                {
                    PhoneNumber = whatsApp.PhoneNumber ?? "",
                    BusinessAccountId = whatsApp.BusinessAccountId ?? "",
                },
                Facebook = wire.Facebook is not { } facebook ? null : new FacebookSettings { PageId = facebook.PageId ?? "" },
                Instagram = wire.Instagram is not { } instagram ? null : new InstagramSettings { AccountId = instagram.AccountId ?? "" },
                Email = wire.Email is not { } email ? null : new EmailChannelSettings { Address = email.Address ?? "", DisplayName = email.DisplayName },

                // The platform never returns credentials: export points at a Secret named after the channel that the user must provide.
                Telegram = wire.Telegram is not { } telegram ? null : new TelegramSettings
                {
                    BotName = telegram.BotName ?? "",
                    BotUsername = telegram.BotUsername ?? "",
                    TokenSecretRef = new SecretKeyRef { Name = name, Key = "token" },
                },
                Line = wire.Line is not { } line ? null : new LineSettings
                {
                    ChannelName = line.ChannelName ?? "",
                    ChannelSecretRef = new SecretKeyRef { Name = name, Key = "channelSecret" },
                    AccessTokenSecretRef = new SecretKeyRef { Name = name, Key = "accessToken" },
                },
            },
        };
    }

    /// <summary>The channel's credentials: wire field, manifest path and the Secret that holds it.</summary>
    private static IEnumerable<(string Field, string ManifestPath, SecretKeyRef Reference)> Credentials(Channel resource)
    {
        if (resource.Spec.Telegram is { } telegram)
            yield return (TelegramTokenField, "spec.telegram.tokenSecretRef", telegram.TokenSecretRef);
        if (resource.Spec.Line is { } line)
        {
            yield return (LineChannelSecretField, "spec.line.channelSecretRef", line.ChannelSecretRef);
            yield return (LineAccessTokenField, "spec.line.accessTokenSecretRef", line.AccessTokenSecretRef);
        }
    }
}
