using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>
/// Channels. The Telegram token and the LINE channel secret and access token are write-only on the platform, so they
/// are never compared: each has its own fingerprint label (<see cref="SecretFingerprint"/>), so rotating one of them
/// is seen and pushed, and the plan names that one.
/// </summary>
public sealed class ChannelMapper : KindMapper<Channel>
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
        var unit = References(resource).FirstOrDefault();
        var labels = new Dictionary<string, string>();
        var fieldLabels = new Dictionary<string, string>();
        var values = new Dictionary<string, string>();
        foreach (var (field, manifestPath, reference) in Credentials(resource))
        {
            var secret = context.Secrets.Lookup(reference);
            if (secret.Value is null)
                throw new SecretNotFoundException($"{manifestPath}: {secret.Error}");
            var label = Ownership.SecretFingerprintLabelOf(field);
            labels[label] = context.Secrets.Fingerprint(reference, secret.Value, context.ObservedLabels?.GetValueOrDefault(label));
            fieldLabels[field] = label;
            if (context.IncludeSecretValues)
                values[field] = secret.Value;
        }

        var fields = new JsonObject
        {
            ["name"] = resource.Metadata.Name,
            ["type"] = spec.Type.ToString(),
            ["displayName"] = spec.DisplayName,
            ["enabled"] = spec.Enabled,
            ["businessUnitId"] = unit is null ? null : Resolve(context, unit),
            ["webChat"] = spec.WebChat is { } web ? new JsonObject
            {
                ["widgetName"] = web.WidgetName,
                ["widgetStatus"] = web.WidgetStatus.ToString(),
                ["allowedDomains"] = Strings(web.AllowedDomains),
            } : null,
            ["whatsApp"] = spec.WhatsApp is { } whatsApp ? new JsonObject { ["phoneNumber"] = whatsApp.PhoneNumber, ["businessAccountId"] = whatsApp.BusinessAccountId } : null,
            ["facebook"] = spec.Facebook is { } facebook ? new JsonObject { ["pageId"] = facebook.PageId } : null,
            ["instagram"] = spec.Instagram is { } instagram ? new JsonObject { ["accountId"] = instagram.AccountId } : null,
            ["email"] = spec.Email is { } email ? new JsonObject { ["address"] = email.Address, ["displayName"] = email.DisplayName } : null,
            ["telegram"] = spec.Telegram is { } telegram ? new JsonObject
            {
                ["botName"] = telegram.BotName,
                ["botUsername"] = telegram.BotUsername,
                ["token"] = values.GetValueOrDefault(TelegramTokenField),
            } : null,
            ["line"] = spec.Line is { } line ? new JsonObject
            {
                ["channelName"] = line.ChannelName,
                ["channelSecret"] = values.GetValueOrDefault(LineChannelSecretField),
                ["accessToken"] = values.GetValueOrDefault(LineAccessTokenField),
            } : null,
        };
        return new DesiredObject(fields, labels, [.. fieldLabels.Keys]) { FingerprintLabels = fieldLabels };
    }

    public override Channel Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        var name = context.NameOf(Collection, platformObject.Id)!;
        var unitId = ReadString(f["businessUnitId"]);
        var web = f["webChat"] as JsonObject;
        var whatsApp = f["whatsApp"] as JsonObject;
        var email = f["email"] as JsonObject;
        var telegram = f["telegram"] as JsonObject;
        var line = f["line"] as JsonObject;
        return new Channel
        {
            Metadata = Meta(name),
            Spec = new ChannelSpec
            {
                Type = ReadEnum(f["type"], ChannelType.WebChat),
                DisplayName = ReadString(f["displayName"]),
                Enabled = f["enabled"]?.GetValue<bool>() ?? true,
                BusinessUnitRef = unitId is null ? null : ResourceRef.FromString(context.NameOf("business-units", unitId) ?? unitId),
                WebChat = web is null ? null : new WebChatSettings
                {
                    WidgetName = ReadString(web["widgetName"]) ?? "",
                    WidgetStatus = ReadEnum(web["widgetStatus"], WidgetStatus.Active),
                    AllowedDomains = ReadStrings(web["allowedDomains"]),
                },
                WhatsApp = whatsApp is null ? null : new WhatsAppSettings
                {
                    PhoneNumber = ReadString(whatsApp["phoneNumber"]) ?? "",
                    BusinessAccountId = ReadString(whatsApp["businessAccountId"]) ?? "",
                },
                Facebook = f["facebook"] is JsonObject facebook ? new FacebookSettings { PageId = ReadString(facebook["pageId"]) ?? "" } : null,
                Instagram = f["instagram"] is JsonObject instagram ? new InstagramSettings { AccountId = ReadString(instagram["accountId"]) ?? "" } : null,
                Email = email is null ? null : new EmailChannelSettings { Address = ReadString(email["address"]) ?? "", DisplayName = ReadString(email["displayName"]) },

                // The platform never returns credentials: export points at a Secret named after the channel that the user must provide.
                Telegram = telegram is null ? null : new TelegramSettings
                {
                    BotName = ReadString(telegram["botName"]) ?? "",
                    BotUsername = ReadString(telegram["botUsername"]) ?? "",
                    TokenSecretRef = new SecretKeyRef { Name = name, Key = "token" },
                },
                Line = line is null ? null : new LineSettings
                {
                    ChannelName = ReadString(line["channelName"]) ?? "",
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
