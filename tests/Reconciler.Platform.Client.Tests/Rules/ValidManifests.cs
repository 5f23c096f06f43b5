using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using Reconciler.Core.Resources;

namespace Reconciler.Platform.Client.Tests.Rules;

/// <summary>CsCheck generators of valid manifests of every platform kind; references point only at built-in roles.</summary>
internal static class ValidManifests
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string LowerDigits = Lower + "0123456789";
    private const string Letters = Lower + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/Sao_Paulo", "Asia/Jakarta", "Australia/Sydney", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Pacific/Auckland"];

    public static readonly Gen<string> Name =
        Gen.Select(Gen.Char[LowerDigits], Gen.String[Gen.Char[LowerDigits + "-"], 0, 61], Gen.Char[LowerDigits], Gen.Bool)
            .Select((first, middle, last, single) => single ? first.ToString() : first + middle + last);

    private static readonly Gen<string> Word = Gen.String[Gen.Char[Letters], 1, 12];

    /// <summary>Words joined by single spaces, at most <paramref name="max"/> characters.</summary>
    private static Gen<string> Text(int max) => Word.List[1, 12].Select(w => string.Join(' ', w)).Select(t => t.Length > max ? t[..max].TrimEnd() : t);

    private static readonly Gen<string> Label = Gen.Select(Gen.Char[LowerDigits], Gen.String[Gen.Char[LowerDigits + "-"], 0, 10], Gen.Char[LowerDigits]).Select((a, b, c) => a + b + c);

    public static readonly Gen<string> Domain = Gen.Select(Label.List[1, 3], Gen.String[Gen.Char[Lower], 2, 6]).Select((labels, tld) => string.Join('.', labels) + "." + tld);

    public static readonly Gen<string> Email = Gen.Select(Gen.String[Gen.Char[LowerDigits + "._+-"], 1, 30], Domain).Select((local, domain) => local + "@" + domain);

    public static readonly Gen<string> Phone = Gen.Select(Gen.Char["123456789"], Gen.String[Gen.Char["0123456789"], 6, 14]).Select((c, rest) => "+" + c + rest);

    public static readonly Gen<string> Url = Gen.Select(Gen.OneOf<string>("https", "http"), Domain, Gen.String[Gen.Char[LowerDigits + "/-"], 0, 20]).Select((scheme, host, path) => $"{scheme}://{host}/{path}");

    private static readonly Gen<string> Language = Gen.Select(Gen.String[Gen.Char[Lower], 2, 3], Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ"], 2, 2], Gen.Bool)
        .Select((language, region, withRegion) => withRegion ? $"{language}-{region}" : language);

    private static Gen<IReadOnlyList<string>> DistinctIgnoringCase(Gen<string> item, int max) =>
        item.List[0, max].Select(list => (IReadOnlyList<string>)[.. list.DistinctBy(s => s.ToLowerInvariant())]);

    private static Gen<IReadOnlyList<T>> Subset<T>(IReadOnlyList<T> all) =>
        Gen.Bool.Array[all.Count].Select(pick => (IReadOnlyList<T>)[.. all.Where((_, i) => pick[i])]);

    private static readonly RSA SsoPair = RSA.Create(2048);

    /// <summary>The public half of an RSA key pair, as JWT SSO takes it: SubjectPublicKeyInfo or PKCS #1 PEM.</summary>
    private static readonly Gen<string> JwtPublicKey = Gen.OneOf(Gen.Const(SsoPair.ExportSubjectPublicKeyInfoPem()), Gen.Const(SsoPair.ExportRSAPublicKeyPem()));

    /// <summary>A SAML signing certificate, PEM or the bare base64 of SAML metadata.</summary>
    public static readonly Gen<string> SamlCertificate = Gen.Const(
            new CertificateRequest("CN=idp.acme.example", SsoPair, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100)))
        .SelectMany(c => Gen.OneOf(Gen.Const(c.ExportCertificatePem()), Gen.Const(Convert.ToBase64String(c.RawData))));

    private static readonly Gen<string?> Optional200 = Gen.Bool.SelectMany(b => b ? Text(200).Select(t => (string?)t) : Gen.Const((string?)null));

    public static readonly Gen<Agent> Agent =
        Gen.Select(Name, Email, Text(200), Gen.Bool.SelectMany(b => b ? Phone.Select(p => (string?)p) : Gen.Const((string?)null)), Gen.Enum<AgentLevel>(), Gen.Int[1, 50], Gen.Bool)
            .SelectMany(t => Gen.Select(DistinctIgnoringCase(Language, 5), DistinctIgnoringCase(Text(100), 5), Subset(Enum.GetValues<AgentCapability>()), Gen.OneOf<string>("agent", "supervisor", "admin"))
                .Select(u => new Agent
                {
                    Metadata = new ObjectMeta { Name = t.Item1 },
                    Spec = new AgentSpec
                    {
                        Email = t.Item2,
                        DisplayName = t.Item3,
                        Mobile = t.Item4,
                        RoleRef = u.Item4,
                        Level = t.Item5,
                        MaxConcurrentChats = t.Item6,
                        Active = t.Item7,
                        Languages = u.Item1,
                        Categories = u.Item2,
                        Capabilities = u.Item3,
                    },
                }));

    public static Gen<Role> Role(IReadOnlyList<string> catalog) =>
        Gen.Select(Name.Where(n => !Core.Resources.Role.BuiltIn.Contains(n)), Text(200), Gen.Bool.SelectMany(b => b ? Text(2000).Select(t => (string?)t) : Gen.Const((string?)null)), Subset(catalog))
            .Select((name, display, description, permissions) => new Role
            {
                Metadata = new ObjectMeta { Name = name },
                Spec = new RoleSpec { DisplayName = display, Description = description, Permissions = permissions },
            });

    public static readonly Gen<BusinessUnit> BusinessUnit =
        Gen.Select(Name, Text(200), Gen.Bool, Gen.Enum<RoutingStrategy>(), Gen.Int[0, 10_000], Optional200)
            .Select((name, display, routed, strategy, limit, chatbot) => new BusinessUnit
            {
                Metadata = new ObjectMeta { Name = name },
                Spec = new BusinessUnitSpec
                {
                    DisplayName = display,
                    Routing = routed ? new Routing { Strategy = strategy, QueueLimit = limit, ChatbotId = chatbot } : null,
                },
            });

    private static string Clock(int minutes) => minutes == 1440 ? "24:00" : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");

    /// <summary>Days split among up to four intervals (so none overlap), each opening before it closes.</summary>
    private static readonly Gen<IReadOnlyList<WeeklyInterval>> Weekly =
        Gen.Int[0, 4].Array[7].SelectMany(owners => Gen.Int[0, 1438].Array[5].SelectMany(opens => Gen.Int[1, 1440].Array[5].Select(lengths =>
            (IReadOnlyList<WeeklyInterval>)[.. Enumerable.Range(1, 4)
                .Select(k => (k, days: Enumerable.Range(0, 7).Where(d => owners[d] == k).Select(d => (DayOfWeek)((d + 1) % 7)).ToList()))
                .Where(x => x.days.Count > 0)
                .Select(x => new WeeklyInterval
                {
                    Days = x.days,
                    Opens = Clock(opens[x.k]),
                    Closes = Clock(Math.Min(1440, opens[x.k] + 1 + (lengths[x.k] % (1440 - opens[x.k])))),
                })])));

    private static readonly Gen<IReadOnlyList<Holiday>> Holidays =
        Gen.Select(Gen.Int[0, 4000], Text(200), Gen.Bool, Gen.Int[0, 1438], Gen.Int[1, 1440]).List[0, 6]
            .Select(list => (IReadOnlyList<Holiday>)[.. list
                .DistinctBy(h => h.Item1)
                .Select(h => new Holiday
                {
                    Date = new DateOnly(2026, 1, 1).AddDays(h.Item1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Name = h.Item2,
                    Opens = h.Item3 ? Clock(h.Item4) : null,
                    Closes = h.Item3 ? Clock(Math.Min(1440, h.Item4 + 1 + (h.Item5 % (1440 - h.Item4)))) : null,
                })]);

    public static readonly Gen<OfficeHours> OfficeHours =
        Gen.Select(Name, Optional200, Gen.OneOf(Zones), Weekly, Holidays)
            .Select((name, display, zone, weekly, holidays) => new OfficeHours
            {
                Metadata = new ObjectMeta { Name = name },
                Spec = new OfficeHoursSpec { DisplayName = display, Timezone = zone, Weekly = weekly, Holidays = holidays },
            });

    private static readonly Gen<Tag> Tag =
        Gen.Select(Text(100), Gen.Bool, Gen.String[Gen.Char["0123456789abcdefABCDEF"], 6, 6], Gen.Bool.SelectMany(b => b ? Text(500).Select(t => (string?)t) : Gen.Const((string?)null)))
            .Select((name, coloured, hex, description) => new Tag { Name = name, Color = coloured ? "#" + hex : null, Description = description });

    public static readonly Gen<TagGroup> TagGroup =
        Gen.Select(Name, Text(200), Gen.Enum<TagTarget>(), Tag.List[0, 8])
            .Select((name, display, target, tags) => new TagGroup
            {
                Metadata = new ObjectMeta { Name = name },
                Spec = new TagGroupSpec { DisplayName = display, AppliesTo = target, Tags = [.. tags.DistinctBy(t => t.Name.ToLowerInvariant())] },
            });

    public static readonly Gen<SsoProvider> SsoProvider =
        Gen.Select(Name, Gen.Enum<SsoType>(), Gen.Bool, Gen.Bool, DistinctIgnoringCase(Domain, 4), Gen.Bool, Optional200)
            .SelectMany(t => Gen.Select(Url, Gen.Bool, Text(200), Gen.Bool, Url, JwtPublicKey, SamlCertificate)
                .Select(u =>
                {
                    var (name, type, enabled, enforce, domains, jit, display) = t;
                    var (url, optional, text, byMetadata, otherUrl, publicKey, certificate) = u;
                    var oidc = type is SsoType.Google or SsoType.Microsoft or SsoType.Okta
                        ? new OidcSettings
                        {
                            IssuerUrl = type == SsoType.Okta || optional ? url : null,
                            ClientId = text,
                            ClientSecretRef = new SecretKeyRef { Name = name, Key = "clientSecret" },
                            TenantId = optional ? text : null,
                        }
                        : null;
                    return new SsoProvider
                    {
                        Metadata = new ObjectMeta { Name = name },
                        Spec = new SsoProviderSpec
                        {
                            Type = type,
                            DisplayName = display,
                            Enabled = enabled,
                            Enforced = enabled && enforce && domains.Count > 0,
                            AllowedDomains = domains,
                            JustInTimeProvisioning = jit,
                            DefaultRoleRef = jit || optional ? ResourceRef.FromString("agent") : null,
                            Oidc = oidc,
                            Saml = type != SsoType.Saml ? null
                                : byMetadata ? new SamlSettings { MetadataUrl = url }
                                : new SamlSettings { EntityId = text, SsoUrl = otherUrl, Certificate = certificate },
                            Jwt = type == SsoType.Jwt ? new JwtSettings { PublicKey = publicKey, Issuer = optional ? text : null } : null,
                        },
                    };
                }));

    public static readonly Gen<Organization> Organization =
        Gen.Select(Text(200), Optional200, Gen.OneOf(Zones), Gen.Bool, Email, Phone, Url)
            .SelectMany(t => Gen.Select(Gen.Bool, Gen.Int[1, 1440], Gen.Bool, Gen.String[Gen.Char[LowerDigits + "-"], 1, 20].List[0, 4])
                .Select(u => new Organization
                {
                    Metadata = new ObjectMeta { Name = "org" },
                    Spec = new OrganizationSpec
                    {
                        DisplayName = t.Item1,
                        CompanyName = t.Item2,
                        Timezone = t.Item3,
                        Contact = t.Item4 ? new OrganizationContact { Email = t.Item5, Phone = t.Item6, Website = t.Item7 } : null,
                        LogoUrl = u.Item1 ? t.Item7 : null,
                        ChatTimeoutMinutes = u.Item2,
                        Settings = u.Item3 ? new OrganizationSettings { RedactionSelectors = [.. u.Item4.Select(s => "." + s).Distinct()] } : null,
                    },
                }));

    private static readonly Gen<string> NumericId = Gen.String[Gen.Char["0123456789"], 5, 25];

    private static readonly Gen<string> TelegramUsername =
        Gen.Select(Gen.Char[Letters], Gen.String[Gen.Char[Letters + "0123456789_"], 1, 28], Gen.OneOf<string>("bot", "Bot", "BOT"))
            .Select((first, middle, bot) => first + middle + bot);

    private static SecretKeyRef Secret(string name, string key) => new() { Name = name, Key = key };

    /// <summary>A channel of any type with exactly its type's settings block; no business unit (none is declared).</summary>
    public static readonly Gen<Channel> Channel =
        Gen.Select(Name, Gen.Enum<ChannelType>(), Optional200, Gen.Bool, Text(200), DistinctIgnoringCase(Domain, 5), Gen.Enum<WidgetStatus>())
            .SelectMany(t => Gen.Select(Phone, NumericId, Email, Optional200, TelegramUsername)
                .Select(u =>
                {
                    var (name, type, display, enabled, text, domains, widget) = t;
                    var (phone, id, email, sender, username) = u;
                    return new Channel
                    {
                        Metadata = new ObjectMeta { Name = name },
                        Spec = new ChannelSpec
                        {
                            Type = type,
                            DisplayName = display,
                            Enabled = enabled,
                            WebChat = type == ChannelType.WebChat
                                ? new WebChatSettings { WidgetName = text, WidgetStatus = widget, AllowedDomains = domains.Count > 0 ? domains : ["acme.example"] }
                                : null,
                            WhatsApp = type == ChannelType.WhatsApp ? new WhatsAppSettings { PhoneNumber = phone, BusinessAccountId = id } : null,
                            Facebook = type == ChannelType.Facebook ? new FacebookSettings { PageId = id } : null,
                            Instagram = type == ChannelType.Instagram ? new InstagramSettings { AccountId = id } : null,
                            Email = type == ChannelType.Email ? new EmailChannelSettings { Address = email, DisplayName = sender } : null,
                            Telegram = type == ChannelType.Telegram ? new TelegramSettings { BotName = text, BotUsername = username, TokenSecretRef = Secret(name, "token") } : null,
                            Line = type == ChannelType.Line
                                ? new LineSettings { ChannelName = text, ChannelSecretRef = Secret(name, "channelSecret"), AccessTokenSecretRef = Secret(name, "accessToken") }
                                : null,
                        },
                    };
                }));

    public static readonly Gen<string> Shortcut =
        Gen.Select(Gen.Char[LowerDigits], Gen.String[Gen.Char[LowerDigits + "-_"], 0, 30]).Select((first, rest) => "/" + first + rest);

    /// <summary>Words with placeholders of the <paramref name="placeholders"/> catalog among them, some with spaces inside the braces.</summary>
    private static Gen<string> TemplateText(IReadOnlyList<string> placeholders) =>
        Gen.Select(Text(300), Gen.OneOf([.. placeholders.Select(Gen.Const)]).List[0, 3], Gen.Bool)
            .Select((text, names, spaced) => string.Join(' ', [text, .. names.Select(n => spaced ? "{{ " + n + " }}" : "{{" + n + "}}")]));

    public static Gen<ReplyTemplate> ReplyTemplate(IReadOnlyList<string> placeholders) =>
        Gen.Select(Name, Shortcut, Text(200), Gen.Select(Language, TemplateText(placeholders)).List[1, 4], DistinctIgnoringCase(Text(100), 5))
            .Select((name, shortcut, title, texts, tags) => new ReplyTemplate
            {
                Metadata = new ObjectMeta { Name = name },
                Spec = new ReplyTemplateSpec
                {
                    Shortcut = shortcut,
                    Title = title,
                    Texts = texts.DistinctBy(t => t.Item1.ToLowerInvariant()).ToDictionary(t => t.Item1, t => t.Item2),
                    Tags = tags,
                },
            });

    /// <summary>One valid resource of any kind.</summary>
    public static Gen<Resource> Any(IReadOnlyList<string> catalog) => Gen.OneOf(
        Agent.Select(r => (Resource)r), Role(catalog).Select(r => (Resource)r), BusinessUnit.Select(r => (Resource)r), OfficeHours.Select(r => (Resource)r),
        TagGroup.Select(r => (Resource)r), SsoProvider.Select(r => (Resource)r), Organization.Select(r => (Resource)r), Channel.Select(r => (Resource)r));
}
