using System.Reflection;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>Every semantic rule, with a failing and a passing case each, on top of a valid background set.</summary>
public sealed class SemanticRuleTests
{
    private static string Org(string name, string extra = "") => Doc("Organization", name, $"displayName: ACME\ntimezone: Europe/Berlin\n{extra}");

    private static string Hours(string weekly, string holidays = "[]", string zone = "UTC") =>
        Doc("OfficeHours", "oh", $"timezone: {zone}\nweekly: {weekly}\nholidays: {holidays}");

    private static string Sso(string spec) => Doc("SsoProvider", "sso", spec);

    private const string Oidc = "oidc: {clientId: c, clientSecretRef: {name: s, key: k}}";

    public static TheoryData<string, string, string> Failing => new()
    {
        // References
        { "a roleRef names a Role or a built-in role", Agent("a").Replace("{name: agent}", "{name: team-leed}", StringComparison.Ordinal), DiagnosticCodes.ReferenceNotFound },
        { "businessUnitRefs name BusinessUnits", Agent("a", "businessUnitRefs: [{name: support}, {name: sales}]"), DiagnosticCodes.ReferenceNotFound },
        { "a supervisorRef names an Agent", Agent("a", "supervisorRef: {name: nobody}"), DiagnosticCodes.ReferenceNotFound },
        { "a supervisorRef names an Agent, not a Role", Agent("a", "supervisorRef: {name: team-lead}"), DiagnosticCodes.ReferenceNotFound },
        { "an officeHoursRef names OfficeHours", Doc("BusinessUnit", "sales", "displayName: Sales\nofficeHoursRef: {name: apac}"), DiagnosticCodes.ReferenceNotFound },
        { "a defaultOfficeHoursRef names OfficeHours", Org("acme", "defaultOfficeHoursRef: {name: apac}"), DiagnosticCodes.ReferenceNotFound },
        { "a defaultRoleRef names a Role or a built-in role", Sso($"type: Google\ndefaultRoleRef: {{name: superuser}}\n{Oidc}"), DiagnosticCodes.ReferenceNotFound },

        // Supervisors
        { "an agent cannot supervise itself", Agent("a", "supervisorRef: {name: a}"), DiagnosticCodes.SelfSupervision },
        { "two agents cannot supervise each other", Agent("a", "supervisorRef: {name: b}") + Agent("b", "supervisorRef: {name: a}"), DiagnosticCodes.SupervisorCycle },
        { "a longer chain cannot close on itself", Agent("a", "supervisorRef: {name: b}") + Agent("b", "supervisorRef: {name: c}") + Agent("c", "supervisorRef: {name: a}"), DiagnosticCodes.SupervisorCycle },

        // Singletons and built-ins
        { "one Organization per set", Org("acme") + Org("acme-two"), DiagnosticCodes.Singleton },
        { "one PlatformConnection per set", Doc("PlatformConnection", "p1", "prune: false") + Doc("PlatformConnection", "p2", "prune: false"), DiagnosticCodes.Singleton },
        { "built-in roles cannot be defined", Doc("Role", "admin", "displayName: Admin"), DiagnosticCodes.BuiltInRole },

        // Time zones
        { "a time zone is an IANA id", Hours("[]", zone: "Mars/Olympus"), DiagnosticCodes.TimeZone },
        { "a Windows time zone id is not portable", Hours("[]", zone: "\"W. Europe Standard Time\""), DiagnosticCodes.TimeZone },
        { "the organisation's time zone is checked too", Doc("Organization", "o", "displayName: O\ntimezone: Berlin"), DiagnosticCodes.TimeZone },

        // Office hours
        { "an interval opens before it closes", Hours("[{days: [Monday], opens: \"12:00\", closes: \"08:00\"}]"), DiagnosticCodes.IntervalOrder },
        { "an empty interval is no interval", Hours("[{days: [Monday], opens: \"08:00\", closes: \"08:00\"}]"), DiagnosticCodes.IntervalOrder },
        { "intervals of one day do not overlap", Hours("[{days: [Monday, Tuesday], opens: \"08:00\", closes: \"12:00\"}, {days: [Tuesday], opens: \"11:00\", closes: \"14:00\"}]"), DiagnosticCodes.IntervalOverlap },
        { "an interval inside another overlaps it", Hours("[{days: [Friday], opens: \"08:00\", closes: \"18:00\"}, {days: [Friday], opens: \"10:00\", closes: \"11:00\"}]"), DiagnosticCodes.IntervalOverlap },
        { "a day is listed once per interval", Hours("[{days: [Monday, Monday], opens: \"08:00\", closes: \"12:00\"}]"), DiagnosticCodes.DuplicateDay },
        { "a holiday is a calendar date", Hours("[]", "[{date: \"2026-02-30\", name: Nope}]"), DiagnosticCodes.InvalidDate },
        { "February 29th exists only in leap years", Hours("[]", "[{date: \"2027-02-29\", name: Nope}]"), DiagnosticCodes.InvalidDate },
        { "a holiday is listed once", Hours("[]", "[{date: \"2026-12-25\", name: A}, {date: \"2026-12-25\", name: B}]"), DiagnosticCodes.DuplicateHoliday },
        { "special hours need a closing time", Hours("[]", "[{date: \"2026-12-24\", name: Eve, opens: \"08:00\"}]"), DiagnosticCodes.HolidayHours },
        { "special hours need an opening time", Hours("[]", "[{date: \"2026-12-24\", name: Eve, closes: \"12:00\"}]"), DiagnosticCodes.HolidayHours },
        { "special hours open before they close", Hours("[]", "[{date: \"2026-12-24\", name: Eve, opens: \"12:00\", closes: \"08:00\"}]"), DiagnosticCodes.IntervalOrder },

        // Agents
        { "a mobile number starts with a plus", Agent("a", "mobile: \"5511987654321\""), DiagnosticCodes.Phone },
        { "a mobile number has no spaces", Agent("a", "mobile: \"+55 11 98765 4321\""), DiagnosticCodes.Phone },
        { "a country code does not start with 0", Agent("a", "mobile: \"+0511987654321\""), DiagnosticCodes.Phone },
        { "E.164 allows at most 15 digits", Agent("a", "mobile: \"+1234567890123456\""), DiagnosticCodes.Phone },
        { "the organisation's phone is E.164 too", Org("o", "contact: {phone: \"030 123456\"}"), DiagnosticCodes.Phone },
        { "languages are BCP-47 tags, not POSIX locales", Agent("a", "languages: [en_US]"), DiagnosticCodes.LanguageTag },
        { "a language is listed once", Agent("a", "languages: [en, pt-BR, EN]"), DiagnosticCodes.DuplicateItem },
        { "a business unit is listed once", Agent("a", "businessUnitRefs: [{name: support}, {name: support}]"), DiagnosticCodes.DuplicateItem },
        { "a capability is listed once", Agent("a", "capabilities: [Chat, Chat]"), DiagnosticCodes.DuplicateItem },
        { "tag names are unique within a group", Doc("TagGroup", "t", "displayName: T\ntags: [{name: VIP}, {name: vip}]"), DiagnosticCodes.DuplicateItem },
        { "a permission is listed once", Doc("Role", "r", "displayName: R\npermissions: [agents.read, agents.read]"), DiagnosticCodes.DuplicateItem },
        { "permission names are lowercase", Doc("Role", "r", "displayName: R\npermissions: [Agents.Read]"), DiagnosticCodes.PermissionName },
        { "permission names are dotted", Doc("Role", "r", "displayName: R\npermissions: [agents]"), DiagnosticCodes.PermissionName },
        { "permission names have no empty words", Doc("Role", "r", "displayName: R\npermissions: [agents..read]"), DiagnosticCodes.PermissionName },

        // SSO
        { "OIDC types need oidc", Sso("type: Google"), DiagnosticCodes.SsoFields },
        { "SAML needs saml", Sso("type: Saml"), DiagnosticCodes.SsoFields },
        { "JWT needs jwt", Sso("type: Jwt"), DiagnosticCodes.SsoFields },
        { "SAML forbids oidc", Sso($"type: Saml\nsaml: {{metadataUrl: https://idp.example/m}}\n{Oidc}"), DiagnosticCodes.SsoFields },
        { "JWT forbids oidc", Sso($"type: Jwt\njwt: {{publicKey: k}}\n{Oidc}"), DiagnosticCodes.SsoFields },
        { "OIDC types forbid saml", Sso($"type: Microsoft\n{Oidc}\nsaml: {{metadataUrl: https://idp.example/m}}"), DiagnosticCodes.SsoFields },
        { "OIDC types forbid jwt", Sso($"type: Google\n{Oidc}\njwt: {{publicKey: k}}"), DiagnosticCodes.SsoFields },
        { "Okta needs its issuer", Sso($"type: Okta\n{Oidc}"), DiagnosticCodes.SsoFields },
        { "SAML takes metadata or manual settings, not both", Sso("type: Saml\nsaml: {metadataUrl: https://idp.example/m, entityId: e}"), DiagnosticCodes.SsoFields },
        { "SAML manual settings come complete", Sso("type: Saml\nsaml: {entityId: e, ssoUrl: https://idp.example/sso}"), DiagnosticCodes.SsoFields },
        { "enforcing a disabled provider locks people out", Sso($"type: Google\nenabled: false\nenforced: true\nallowedDomains: [acme.example]\n{Oidc}"), DiagnosticCodes.SsoEnforced },
        { "enforcing needs the domains it applies to", Sso($"type: Google\nenforced: true\n{Oidc}"), DiagnosticCodes.SsoEnforced },
        { "allowed domains are domain names", Sso($"type: Google\nallowedDomains: [\"@acme.example\"]\n{Oidc}"), DiagnosticCodes.Domain },
        { "JWT takes the public half of the key pair, not the private", Sso($"type: Jwt\njwt: {{publicKey: {TestKeys.Yaml(TestKeys.RsaPrivateKey)}}}"), DiagnosticCodes.PrivateKey },
        { "JWT takes an RSA public key in PEM", Sso("type: Jwt\njwt: {publicKey: k}"), DiagnosticCodes.PublicKey },
        { "SAML takes the identity provider's certificate", Sso("type: Saml\nsaml: {entityId: e, ssoUrl: https://idp.example/sso, certificate: PEM}"), DiagnosticCodes.Certificate },
        { "SAML takes no private key", Sso($"type: Saml\nsaml: {{entityId: e, ssoUrl: https://idp.example/sso, certificate: {TestKeys.Yaml(TestKeys.RsaPrivateKey)}}}"), DiagnosticCodes.PrivateKey },
    };

    public static TheoryData<string, string> Passing => new()
    {
        { "built-in roles resolve without a Role", Agent("a") + Agent("b").Replace("{name: agent}", "{name: admin-ally}", StringComparison.Ordinal) },
        { "custom roles resolve", Agent("a").Replace("{name: agent}", "{name: team-lead}", StringComparison.Ordinal) },
        { "business units and supervisors resolve", Agent("a", "businessUnitRefs: [{name: support}]\nsupervisorRef: {name: boss}") },
        { "a reference may point forward in the set", Agent("a", "supervisorRef: {name: z}") + Agent("z") },
        { "office hours resolve for units and the organisation", Doc("BusinessUnit", "sales", "displayName: S\nofficeHoursRef: {name: emea}") + Org("acme", "defaultOfficeHoursRef: {name: emea}") },
        { "a chain of supervisors is fine", Agent("a", "supervisorRef: {name: b}") + Agent("b", "supervisorRef: {name: boss}") },
        { "one Organization and one PlatformConnection are fine", Org("acme") + Doc("PlatformConnection", "p", "prune: true") },
        { "IANA zones resolve, UTC included", Hours("[]", zone: "America/Sao_Paulo") + Org("acme").Replace("Europe/Berlin", "UTC", StringComparison.Ordinal) },
        { "touching intervals do not overlap", Hours("[{days: [Monday], opens: \"08:00\", closes: \"12:00\"}, {days: [Monday], opens: \"12:00\", closes: \"24:00\"}]") },
        { "the same hours on different days do not overlap", Hours("[{days: [Monday], opens: \"08:00\", closes: \"12:00\"}, {days: [Tuesday], opens: \"08:00\", closes: \"12:00\"}]") },
        { "a leap day is a date in a leap year", Hours("[]", "[{date: \"2028-02-29\", name: Leap}]") },
        { "a holiday may have both special times", Hours("[]", "[{date: \"2026-12-24\", name: Eve, opens: \"08:00\", closes: \"12:00\"}]") },
        { "distinct e-mails are fine", Agent("a", email: "a@acme.example") + Agent("b", email: "b@acme.example") },
        { "E.164 numbers are fine", Agent("a", "mobile: \"+5511987654321\"") + Org("o", "contact: {phone: \"+4930123456\"}") },
        { "well-formed language tags are fine", Agent("a", "languages: [en, pt-BR, zh-Hant-TW, es-419, sr-Latn-RS, de-CH-1996]") },
        { "distinct list items are fine", Agent("a", "businessUnitRefs: [{name: support}]\ncapabilities: [Chat, Live]") + Doc("TagGroup", "t", "displayName: T\ntags: [{name: VIP}, {name: Standard}]") },
        { "permission names are lowercase dotted words", Doc("Role", "r", "displayName: R\npermissions: [agents.read, chats.transfer, reports.export_csv, admin-ally.access]") },
        { "Google with oidc is fine", Sso($"type: Google\n{Oidc}") },
        { "Okta with its issuer is fine", Sso("type: Okta\noidc: {issuerUrl: https://acme.okta.example, clientId: c, clientSecretRef: {name: s, key: k}}") },
        { "SAML from metadata is fine", Sso("type: Saml\nsaml: {metadataUrl: https://idp.example/m}") },
        { "SAML set by hand is fine", Sso($"type: Saml\nsaml: {{entityId: e, ssoUrl: https://idp.example/sso, certificate: {TestKeys.Yaml(TestKeys.Certificate)}}}") },
        { "JWT with the public half of an RSA key pair is fine", Sso($"type: Jwt\njwt: {{publicKey: {TestKeys.Yaml(TestKeys.RsaPublicKey)}}}") },
        { "an enabled provider may be enforced for its domains", Sso($"type: Google\nenforced: true\nallowedDomains: [acme.example, eu.acme.example]\n{Oidc}") },
        { "a disabled, unenforced provider is fine", Sso($"type: Microsoft\nenabled: false\n{Oidc}") },
    };

    [Theory]
    [MemberData(nameof(Failing))]
    public void Validate_WhenARuleIsBroken_ReportsItsCode(string why, string documents, string code)
    {
        var report = Validate(documents);

        report.IsValid.Should().BeFalse(why);
        report.Errors().Select(d => d.Code).Should().Contain(code, $"{why}; got:\n{report.Errors().Describe()}");
    }

    [Theory]
    [MemberData(nameof(Passing))]
    public void Validate_WhenRulesAreKept_ReportsNothing(string why, string documents)
    {
        var report = Validate(documents);

        report.Diagnostics.Should().BeEmpty($"{why}; got:\n{report.Diagnostics.Describe()}");
    }

    [Fact]
    public void Validate_WhenAReferenceIsMissing_PointsAtTheNameInTheList()
    {
        var report = Validate(Agent("a", "businessUnitRefs: [{name: support}, {name: sales}]"));

        var error = report.Errors().Single();
        (error.Path, error.Line, error.Column).Should().Be(("spec.businessUnitRefs[1].name", 37, 46));
        error.Message.Should().Be("BusinessUnit \"sales\" not found in the set");
    }

    [Fact]
    public void Validate_WhenARoleIsMisspelt_SuggestsTheClosestRole()
    {
        var report = Validate(Agent("a").Replace("{name: agent}", "{name: supervisr}", StringComparison.Ordinal));

        report.Errors().Single().Message.Should().Contain("did you mean \"supervisor\"");
    }

    [Theory]
    [InlineData("lead-1", "lead-2")]
    [InlineData("lead-2", "lead-1")]
    public void Validate_WhenManyReferencesMissTheSameName_SuggestsTheFirstDeclaredOfTheClosestForEach(string first, string second)
    {
        var report = Validate(Agent(first), Agent(second), Agent("a", "supervisorRef: {name: lead}"), Agent("b", "supervisorRef: {name: lead}"));

        report.Errors().Select(e => e.Message).Should().Equal(
            Enumerable.Repeat($"Agent \"lead\" not found in the set; did you mean \"{first}\"?", 2));
    }

    [Fact]
    public void Validate_WhenTheReferencedResourceIsInvalid_DoesNotAlsoReportItMissing()
    {
        var report = Validate(Agent("a", "supervisorRef: {name: b}") + Agent("b", "level: L9"));

        report.Errors().Select(d => d.Code).Should().Equal(DiagnosticCodes.EnumValue);
    }

    [Fact]
    public void Validate_WhenSupervisorsFormACycle_ReportsTheCycleOnce()
    {
        var report = Validate(Agent("c", "supervisorRef: {name: a}") + Agent("a", "supervisorRef: {name: b}") + Agent("b", "supervisorRef: {name: c}"));

        report.Errors().Should().ContainSingle().Which.Message.Should().Be("supervisor cycle: a -> b -> c -> a");
    }

    [Fact]
    public void Validate_WhenIntervalsOverlap_NamesBothIntervalsAndTheDays()
    {
        var report = Validate(Hours("[{days: [Monday, Tuesday], opens: \"08:00\", closes: \"12:00\"}, {days: [Tuesday, Monday], opens: \"11:00\", closes: \"14:00\"}]"));

        report.Errors().Single().Message.Should().Be("11:00-14:00 overlaps weekly[0] 08:00-12:00 on Monday, Tuesday");
    }

    [Fact]
    public void SsoRule_CoversEveryCelRuleOfTheModel()
    {
        // The CEL rules go into the CRD; SsoRule enforces them outside a cluster. A new CEL rule must be mirrored there.
        var rules = typeof(SsoProviderSpec).GetCustomAttributes<CelRuleAttribute>().ToList();

        rules.Select(r => r.FieldPath).Should().BeEquivalentTo([".oidc", ".saml", ".jwt", ".oidc", ".oidc", ".enforced", ".enforced"]);
    }

    public static TheoryData<string, bool> LanguageTagCases => new()
    {
        { "en", true }, { "pt-BR", true }, { "zh-Hant-TW", true }, { "es-419", true }, { "de-CH-1996", true },
        { "sl-rozaj-biske", true }, { "en-US-u-ca-gregory", true }, { "x-private", true }, { "en-x-internal", true },
        { "zh-yue-HK", true }, { "i-klingon", true }, { "EN-us", true },
        { "", false }, { "e", false }, { "en_US", false }, { "en-", false }, { "-en", false }, { "en--US", false },
        { "toolonglanguage", false }, { "en-US-u", false }, { "de-1996-1996", false }, { "en-a-bbb-a-ccc", false }, { "pt BR", false },
        { "en\n", false }, { "pt-BR\n", false }, { "de-CH-1996\n", false },
    };

    [Theory]
    [MemberData(nameof(LanguageTagCases))]
    public void LanguageTag_IsWellFormed_FollowsRfc5646(string tag, bool wellFormed) =>
        LanguageTags.IsWellFormed(tag).Should().Be(wellFormed, tag);

    [Fact]
    public void Validate_WhenALanguageUsesAReservedSubtag_WarnsWithoutFailing()
    {
        var report = Validate(Agent("a", "languages: [english]"));

        report.IsValid.Should().BeTrue();
        report.Diagnostics.Should().ContainSingle(d => d.Code == DiagnosticCodes.LanguageTag && d.Severity == DiagnosticSeverity.Warning);
    }
}
