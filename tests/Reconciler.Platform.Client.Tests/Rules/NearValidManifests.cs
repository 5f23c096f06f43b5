using System.Security.Cryptography;
using CsCheck;
using Reconciler.Core.Resources;

namespace Reconciler.Platform.Client.Tests.Rules;

/// <summary>One wire rule broken in an otherwise valid manifest, and the manifest field that breaks it.</summary>
internal sealed record Breaker(string Rule, string Path, Gen<Resource> Manifests)
{
    public override string ToString() => $"{Rule} at {Path}";
}

/// <summary>Near-valid manifests: for each rule, valid manifests with exactly that rule broken.</summary>
internal static class NearValidManifests
{
    private static readonly string TooLongName = new('a', 64);

    private static readonly string PrivateKey = RSA.Create(2048).ExportPkcs8PrivateKeyPem();

    public static IReadOnlyList<Breaker> All(IReadOnlyList<string> catalog, IReadOnlyList<string> placeholders) =>
    [
        B("role name has no dots", "metadata.name", ValidManifests.Role(catalog), r => r with { Metadata = new ObjectMeta { Name = "team.lead" } }),
        B("role name is at most 63 characters", "metadata.name", ValidManifests.Role(catalog), r => r with { Metadata = new ObjectMeta { Name = TooLongName } }),
        B("permission names are lowercase dotted words", "spec.permissions[0]", ValidManifests.Role(catalog), r => r with { Spec = r.Spec with { Permissions = ["Agents.Read"] } }),
        B("permissions are distinct", "spec.permissions[1]", ValidManifests.Role(catalog), r => r with { Spec = r.Spec with { Permissions = [catalog[0], catalog[0]] } }),
        B("a role's display name is not blank", "spec.displayName", ValidManifests.Role(catalog), r => r with { Spec = r.Spec with { DisplayName = "   " } }),

        B("e-mail", "spec.email", ValidManifests.Agent, a => a with { Spec = a.Spec with { Email = a.Spec.Email.Replace('@', '.') } }),
        B("E.164 mobile", "spec.mobile", ValidManifests.Agent, a => a with { Spec = a.Spec with { Mobile = "+0" + (a.Spec.Mobile ?? "+4930123456")[2..] } }),
        B("E.164 has no spaces", "spec.mobile", ValidManifests.Agent, a => a with { Spec = a.Spec with { Mobile = "+49 30 123456" } }),
        B("at most 50 concurrent chats", "spec.maxConcurrentChats", ValidManifests.Agent, a => a with { Spec = a.Spec with { MaxConcurrentChats = 51 } }),
        B("languages are BCP-47 tags", "spec.languages[0]", ValidManifests.Agent, a => a with { Spec = a.Spec with { Languages = ["en_US"] } }),
        B("languages are distinct ignoring case", "spec.languages[1]", ValidManifests.Agent, a => a with { Spec = a.Spec with { Languages = ["pt-BR", "PT-br"] } }),
        B("categories are not blank", "spec.categories[1]", ValidManifests.Agent, a => a with { Spec = a.Spec with { Categories = ["billing", " "] } }),
        B("capabilities are distinct", "spec.capabilities[1]", ValidManifests.Agent, a => a with { Spec = a.Spec with { Capabilities = [AgentCapability.Chat, AgentCapability.Chat] } }),
        B("an agent's display name is at most 200 characters", "spec.displayName", ValidManifests.Agent, a => a with { Spec = a.Spec with { DisplayName = new string('x', 201) } }),
        B("an agent's display name holds no control character", "spec.displayName", ValidManifests.Agent, a => a with { Spec = a.Spec with { DisplayName = "Eve \u001b[31mRed" } }),

        B("business unit name has no dots", "metadata.name", ValidManifests.BusinessUnit, u => u with { Metadata = new ObjectMeta { Name = "sales.emea" } }),
        B("queue limit is at most 10000", "spec.routing.queueLimit", ValidManifests.BusinessUnit, u => u with { Spec = u.Spec with { Routing = new Routing { QueueLimit = 10_001 } } }),
        B("description is at most 2000 characters", "spec.description", ValidManifests.BusinessUnit, u => u with { Spec = u.Spec with { Description = new string('d', 2001) } }),
        B("a description holds no NUL", "spec.description", ValidManifests.BusinessUnit, u => u with { Spec = u.Spec with { Description = "first\u0000second" } }),

        B("IANA time zone", "spec.timezone", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Timezone = "Mars/Olympus" } }),
        B("Windows zone ids are not IANA", "spec.timezone", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Timezone = "W. Europe Standard Time" } }),
        B("an interval opens before it closes", "spec.weekly[0].closes", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Weekly = [Interval("12:00", "08:00", DayOfWeek.Monday)] } }),
        B("intervals of one day do not overlap", "spec.weekly[1]", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Weekly = [Interval("08:00", "12:00", DayOfWeek.Monday), Interval("11:00", "14:00", DayOfWeek.Monday)] } }),
        B("a day is listed once per interval", "spec.weekly[0].days", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Weekly = [Interval("08:00", "12:00", DayOfWeek.Friday, DayOfWeek.Friday)] } }),
        B("a holiday is a calendar date", "spec.holidays[0].date", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Holidays = [new Holiday { Date = "2027-02-29", Name = "No day" }] } }),
        B("a holiday is listed once", "spec.holidays[1].date", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Holidays = [new Holiday { Date = "2026-12-25", Name = "A" }, new Holiday { Date = "2026-12-25", Name = "B" }] } }),
        B("special hours come in pairs", "spec.holidays[0].closes", ValidManifests.OfficeHours, h => h with { Spec = h.Spec with { Holidays = [new Holiday { Date = "2026-12-24", Name = "Eve", Opens = "08:00" }] } }),

        B("tag colours are #RRGGBB", "spec.tags[0].color", ValidManifests.TagGroup, t => t with { Spec = t.Spec with { Tags = [new Tag { Name = "vip", Color = "red" }] } }),
        B("tag names are distinct ignoring case", "spec.tags[1].name", ValidManifests.TagGroup, t => t with { Spec = t.Spec with { Tags = [new Tag { Name = "VIP" }, new Tag { Name = "vip" }] } }),
        B("tag group name is at most 63 characters", "metadata.name", ValidManifests.TagGroup, t => t with { Metadata = new ObjectMeta { Name = TooLongName } }),

        B("allowed domains are domain names", "spec.allowedDomains[0]", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { AllowedDomains = ["acme"], Enforced = false } }),
        B("allowed domains end in a top-level domain of letters", "spec.allowedDomains[0]", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { AllowedDomains = ["acme.123"], Enforced = false } }),
        B("enforcing needs domains", "spec.enforced", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Enforced = true, Enabled = true, AllowedDomains = [] } }),
        B("enforcing needs the provider enabled", "spec.enforced", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Enforced = true, Enabled = false, AllowedDomains = ["acme.example"] } }),
        B("just-in-time provisioning needs a default role", "spec.defaultRoleRef", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { JustInTimeProvisioning = true, DefaultRoleRef = null } }),
        B("Okta needs its issuer", "spec.oidc.issuerUrl", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Type = SsoType.Okta, Saml = null, Jwt = null, Oidc = new OidcSettings { ClientId = "c", ClientSecretRef = new SecretKeyRef { Name = s.Metadata.Name, Key = "clientSecret" } } } }),
        B("SAML takes metadata or manual settings, not both", "spec.saml.metadataUrl", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Type = SsoType.Saml, Oidc = null, Jwt = null, Saml = new SamlSettings { MetadataUrl = "https://idp.example/m", EntityId = "e" } } }),
        B("SAML needs its settings block", "spec.saml", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Type = SsoType.Saml, Oidc = null, Jwt = null, Saml = null } }),
        B("JWT takes the public half of its key pair, not the private", "spec.jwt.publicKey", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Type = SsoType.Jwt, Oidc = null, Saml = null, Jwt = new JwtSettings { PublicKey = PrivateKey } } }),
        B("JWT takes an RSA public key", "spec.jwt.publicKey", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Type = SsoType.Jwt, Oidc = null, Saml = null, Jwt = new JwtSettings { PublicKey = "not a key" } } }),
        B("SAML takes its identity provider's certificate", "spec.saml.certificate", ValidManifests.SsoProvider, s => s with { Spec = s.Spec with { Type = SsoType.Saml, Oidc = null, Jwt = null, Saml = new SamlSettings { EntityId = "e", SsoUrl = "https://idp.example/sso", Certificate = "PEM" } } }),

        B("the organisation's time zone is IANA", "spec.timezone", ValidManifests.Organization, o => o with { Spec = o.Spec with { Timezone = "Berlin" } }),
        B("the organisation's phone is E.164", "spec.contact.phone", ValidManifests.Organization, o => o with { Spec = o.Spec with { Contact = new OrganizationContact { Phone = "030 123456" } } }),
        B("the website is an http(s) URL", "spec.contact.website", ValidManifests.Organization, o => o with { Spec = o.Spec with { Contact = new OrganizationContact { Website = "ftp://files.acme.example" } } }),
        B("the chat timeout is at least a minute", "spec.chatTimeoutMinutes", ValidManifests.Organization, o => o with { Spec = o.Spec with { ChatTimeoutMinutes = 0 } }),
        B("a shortcut starts with a slash", "spec.shortcut", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Shortcut = t.Spec.Shortcut[1..] } }),
        B("a shortcut is lower-case", "spec.shortcut", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Shortcut = "/Refund" } }),
        B("a template has a text", "spec.texts", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Texts = new Dictionary<string, string>() } }),
        B("texts are keyed by BCP-47 tags", "spec.texts.en_US", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Texts = new Dictionary<string, string> { ["en_US"] = "Hello" } } }),
        B("a placeholder is closed", "spec.texts.en", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Texts = new Dictionary<string, string> { ["en"] = "Hello {{customer.name" } } }),
        B("a placeholder is a dotted name", "spec.texts.de", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Texts = new Dictionary<string, string> { ["de"] = "Hallo {{Kunde Name}}" } } }),
        B("a text is at most 4000 characters", "spec.texts.en", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Texts = new Dictionary<string, string> { ["en"] = new string('x', 4001) } } }),
        B("template tags are distinct ignoring case", "spec.tags[1]", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Tags = ["Refund", "refund"] } }),
        B("a template's title is not blank", "spec.title", ValidManifests.ReplyTemplate(placeholders), t => t with { Spec = t.Spec with { Title = " " } }),

        B("redaction selectors are distinct", "spec.settings.redactionSelectors[1]", ValidManifests.Organization, o => o with { Spec = o.Spec with { Settings = new OrganizationSettings { RedactionSelectors = [".card", ".card"] } } }),
        B("a redaction selector holds no control character", "spec.settings.redactionSelectors[1]", ValidManifests.Organization, o => o with { Spec = o.Spec with { Settings = new OrganizationSettings { RedactionSelectors = [".card", "#cvc\u0001"] } } }),
        B("recordings are kept only while recording", "spec.settings.sessionRecordingRetentionDays", ValidManifests.Organization, o => o with { Spec = o.Spec with { Settings = new OrganizationSettings { SessionRecording = false, SessionRecordingRetentionDays = 30 } } }),
        B("recordings are kept at most ten years", "spec.settings.sessionRecordingRetentionDays", ValidManifests.Organization, o => o with { Spec = o.Spec with { Settings = new OrganizationSettings { SessionRecording = true, SessionRecordingRetentionDays = 3651 } } }),
        B("a Firebase project id is lower-case", "spec.pushNotifications.firebaseProjectId", ValidManifests.Organization, o => o with { Spec = o.Spec with { PushNotifications = new PushNotificationSettings { FirebaseProjectId = "Acme_Push", ServiceAccountKeySecretRef = new SecretKeyRef { Name = "firebase-push", Key = "serviceAccountKey" } } } }),

        B("a WhatsApp channel needs its number", "spec.whatsApp", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.WhatsApp) }),
        B("a WhatsApp number is E.164", "spec.whatsApp.phoneNumber", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.WhatsApp) with { WhatsApp = new WhatsAppSettings { PhoneNumber = "0812 3456 7890", BusinessAccountId = "1234567" } } }),
        B("a WhatsApp Business account id is digits", "spec.whatsApp.businessAccountId", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.WhatsApp) with { WhatsApp = new WhatsAppSettings { PhoneNumber = "+6281234567890", BusinessAccountId = "acme-wa" } } }),
        B("a Telegram bot username ends in bot", "spec.telegram.botUsername", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.Telegram) with { Telegram = new TelegramSettings { BotName = "Acme", BotUsername = "acme_support", TokenSecretRef = new SecretKeyRef { Name = "tg", Key = "token" } } } }),
        B("a web-chat widget's domains are domain names", "spec.webChat.allowedDomains[0]", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.WebChat) with { WebChat = new WebChatSettings { WidgetName = "Chat", AllowedDomains = ["https://acme.example"] } } }),
        B("a web-chat widget names at least one domain", "spec.webChat.allowedDomains", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.WebChat) with { WebChat = new WebChatSettings { WidgetName = "Chat", AllowedDomains = [] } } }),
        B("an e-mail channel's address is an e-mail", "spec.email.address", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.Email) with { Email = new EmailChannelSettings { Address = "support(at)acme.example" } } }),
        B("a Facebook page id is digits", "spec.facebook.pageId", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.Facebook) with { Facebook = new FacebookSettings { PageId = "acme" } } }),
        B("a Twitter channel takes no other type's settings", "spec.email", ValidManifests.Channel, c => c with { Spec = Retyped(c.Spec, ChannelType.Twitter) with { Email = new EmailChannelSettings { Address = "support@acme.example" } } }),
    ];

    /// <summary>The channel as another type, with no settings block (each breaker adds the block it breaks).</summary>
    private static ChannelSpec Retyped(ChannelSpec spec, ChannelType type) =>
        spec with { Type = type, WebChat = null, WhatsApp = null, Facebook = null, Instagram = null, Email = null, Telegram = null, Line = null };

    private static WeeklyInterval Interval(string opens, string closes, params DayOfWeek[] days) => new() { Days = days, Opens = opens, Closes = closes };

    private static Breaker B<T>(string rule, string path, Gen<T> valid, Func<T, T> breakIt)
        where T : Resource => new(rule, path, valid.Select(r => (Resource)breakIt(r)));
}
