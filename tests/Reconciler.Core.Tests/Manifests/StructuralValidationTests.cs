using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using Reconciler.Platform.Contract.Rules;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>Structural rules derived from the model's types and attributes: one failing and one passing case each.</summary>
public sealed class StructuralValidationTests
{
    private static readonly string LongName = new('x', 201);

    public static TheoryData<string, string, string> Failing => new()
    {
        // why, documents, expected code
        { "a typo in a field name is reported", Agent("a", "emial: a@b.example"), DiagnosticCodes.UnknownField },
        { "a quoted number is not an integer", Agent("a", "maxConcurrentChats: \"3\""), DiagnosticCodes.WrongType },
        { "an unquoted number is not a string", Agent("a", "mobile: +5511987654321"), DiagnosticCodes.WrongType },
        { "a quoted true is not a boolean", Agent("a", "active: \"true\""), DiagnosticCodes.WrongType },
        { "a word is not a boolean", Agent("a", "active: maybe"), DiagnosticCodes.WrongType },
        { "a C0 control written as an escape is YAML, but no text the platform takes", Doc("Role", "r", "displayName: \"R\\a \\x1b \\u0000\""), RuleCodes.ControlCharacter },
        { "a boolean word is ASCII: a long s (which upper-cases to S) does not make yes", Agent("a", "active: ye\u017f"), DiagnosticCodes.WrongType },
        { "a boolean word in a case go-yaml does not read as one is text to kubectl", Agent("a", "active: oFf"), DiagnosticCodes.WrongType },
        { "on is the boolean true to kubectl, not text, where a string is expected", Doc("TagGroup", "t", "displayName: T\ntags: [{name: on}]"), DiagnosticCodes.WrongType },
        { "no (Norwegian) is the boolean false to kubectl, not text, in a list of strings", Agent("a", "languages: [en, no]"), DiagnosticCodes.WrongType },
        { "y is the boolean true to kubectl, not text, in an annotation", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, annotations: {reviewed: y}}", StringComparison.Ordinal), DiagnosticCodes.WrongType },
        { "no (Norwegian) as a language key is the key \"false\" to kubectl", Doc("ReplyTemplate", "hi", "shortcut: /hi\ntitle: Hi\ntexts:\n  en: Hello\n  no: Hei"), DiagnosticCodes.WrongType },
        { "a number with underscores is a number to kubectl, not text", Doc("Role", "r", "displayName: 1_000"), DiagnosticCodes.WrongType },
        { "a binary number is a number to kubectl, not text", Doc("Role", "r", "displayName: 0b101"), DiagnosticCodes.WrongType },
        { "an upper-case hexadecimal prefix is a number to kubectl, not text", Doc("Role", "r", "displayName: 0X1F"), DiagnosticCodes.WrongType },
        { "a signed hexadecimal number is a number to kubectl, not text", Doc("Role", "r", "displayName: -0x1F"), DiagnosticCodes.WrongType },
        { "a mapping is not a list", Agent("a", "businessUnitRefs: {name: support}"), DiagnosticCodes.WrongType },
        { "a list is not a mapping", Agent("a", "supervisorRef: [boss]"), DiagnosticCodes.WrongType },
        { "a reference is an object, not a bare name", Agent("a", "supervisorRef: boss"), DiagnosticCodes.WrongType },
        { "a required field may not be left out", Doc("Agent", "a", "displayName: A\nroleRef: {name: agent}"), DiagnosticCodes.MissingRequired },
        { "a required field may not be null", Doc("Agent", "a", "email: ~\ndisplayName: A\nroleRef: {name: agent}"), DiagnosticCodes.MissingRequired },
        { "a required string may not be empty", Doc("Role", "r", "displayName: \"\""), DiagnosticCodes.MissingRequired },
        { "enum values come from the enum", Agent("a", "level: L4"), DiagnosticCodes.EnumValue },
        { "enum values are case-sensitive", Agent("a", "level: expert"), DiagnosticCodes.EnumValue },
        { "enum values are not integers", Agent("a", "level: 1"), DiagnosticCodes.EnumValue },
        { "a range has a lower bound", Agent("a", "maxConcurrentChats: 0"), DiagnosticCodes.OutOfRange },
        { "a range has an upper bound", Agent("a", "maxConcurrentChats: 51"), DiagnosticCodes.OutOfRange },
        { "an integer must fit its type", Agent("a", "maxConcurrentChats: 99999999999999999999"), DiagnosticCodes.OutOfRange },
        { "a fraction is not an integer", Agent("a", "maxConcurrentChats: 5.5"), DiagnosticCodes.WrongType },
        { "a whole number beyond the range is out of range in any notation", Agent("a", "maxConcurrentChats: 0x40"), DiagnosticCodes.OutOfRange },
        { "a quoted number is text, which kubectl sends as text", Agent("a", "maxConcurrentChats: \"5\""), DiagnosticCodes.WrongType },
        { "a !!binary value is not its base64 text, which go-yaml decodes", Doc("Role", "r", "displayName: !!binary QWRh"), DiagnosticCodes.WrongType },
        { "a !!binary value is refused in its long form too", Doc("Role", "r", "displayName: !<tag:yaml.org,2002:binary> QWRh"), DiagnosticCodes.WrongType },
        { "strings have a maximum length", Doc("Role", "r", $"displayName: {LongName}"), DiagnosticCodes.Length },
        { "lists can have a minimum length", Doc("OfficeHours", "o", "timezone: UTC\nweekly: [{days: [], opens: \"08:00\", closes: \"09:00\"}]"), DiagnosticCodes.Length },
        { "times follow HH:MM", Doc("OfficeHours", "o", "timezone: UTC\nweekly: [{days: [Monday], opens: \"8:00\", closes: \"09:00\"}]"), DiagnosticCodes.Pattern },
        { "24:00 closes a day but does not open one", Doc("OfficeHours", "o", "timezone: UTC\nweekly: [{days: [Monday], opens: \"24:00\", closes: \"24:00\"}]"), DiagnosticCodes.Pattern },
        { "metadata.name is a DNS subdomain", Doc("Role", "Team_Lead", "displayName: T"), DiagnosticCodes.Pattern },
        { "a tag colour is #RRGGBB", Doc("TagGroup", "t", "displayName: T\ntags: [{name: a, color: red}]"), DiagnosticCodes.Pattern },
        { "a name does not end in a newline", Doc("Role", "\"sales\\n\"", "displayName: T"), DiagnosticCodes.Pattern },
        { "a long name (matched by the linear-time engine) does not end in a newline either", Doc("Role", $"\"{new string('s', 300)}\\n\"", "displayName: T"), DiagnosticCodes.Pattern },
        { "a long name is matched against the pattern too", Doc("Role", new string('S', 300), "displayName: T"), DiagnosticCodes.Pattern },
        { "a time does not end in a newline", Doc("OfficeHours", "o", "timezone: UTC\nweekly: [{days: [Monday], opens: \"08:00\\n\", closes: \"09:00\"}]"), DiagnosticCodes.Pattern },
        { "a tag colour does not end in a newline", Doc("TagGroup", "t", "displayName: T\ntags: [{name: a, color: \"#D4AF37\\n\"}]"), DiagnosticCodes.Pattern },
        { "e-mail addresses need a dotted domain", Agent("a", email: "a@localhost"), DiagnosticCodes.Email },
        { "e-mail addresses need an @", Agent("a", email: "a.acme.example"), DiagnosticCodes.Email },
        { "URLs are absolute http(s)", Doc("Organization", "o", "displayName: O\ntimezone: UTC\nlogoUrl: ftp://acme.example/logo.png"), DiagnosticCodes.Url },
        { "URLs are not bare words", Doc("PlatformConnection", "p", "url: acme"), DiagnosticCodes.Url },
        { "a secret reference is not the secret", Doc("PlatformConnection", "p", "tokenSecretRef: s3cr3t-value"), DiagnosticCodes.InlineSecret },
        { "a token is never inline", Doc("PlatformConnection", "p", "token: s3cr3t-value"), DiagnosticCodes.InlineSecret },
        { "a resync interval of 0s would have the operator list the platform without pause", Doc("PlatformConnection", "p", "resyncInterval: 0s"), DiagnosticCodes.OutOfRange },
        { "a resync interval has a least value", Doc("PlatformConnection", "p", "resyncInterval: 999ms"), DiagnosticCodes.OutOfRange },
        { "an audit poll interval has a least value", Doc("PlatformConnection", "p", "auditPollInterval: 0m0s"), DiagnosticCodes.OutOfRange },
        { "a duration is no longer than Go can hold", Doc("PlatformConnection", "p", "resyncInterval: 2562048h"), DiagnosticCodes.OutOfRange },
        { "a duration has a unit", Doc("PlatformConnection", "p", "resyncInterval: \"10\""), DiagnosticCodes.Pattern },
        { "an OIDC client secret is never inline", Doc("SsoProvider", "s", "type: Google\noidc: {clientId: c, clientSecret: s3cr3t-value}"), DiagnosticCodes.InlineSecret },
        { "the apiVersion is this group's", Agent("a").Replace("support.reconciler.dev/v1alpha1", "support.reconciler.dev/v1", StringComparison.Ordinal), DiagnosticCodes.UnknownApiVersion },
        { "apiVersion is required", Agent("a").Replace("apiVersion: support.reconciler.dev/v1alpha1\n", "", StringComparison.Ordinal), DiagnosticCodes.MissingRequired },
        { "the kind is one of the model", Agent("a").Replace("kind: Agent", "kind: Agnet", StringComparison.Ordinal), DiagnosticCodes.UnknownKind },
        { "the kind is required", Agent("a").Replace("kind: Agent\n", "", StringComparison.Ordinal), DiagnosticCodes.MissingRequired },
        { "a document is a mapping, not a list", "- a\n- b\n---\n", DiagnosticCodes.NotAMapping },
        { "a document is a mapping, not a scalar", "just text\n---\n", DiagnosticCodes.NotAMapping },
        { "the same resource twice is a mistake", Agent("a") + Agent("a", email: "other@acme.example"), DiagnosticCodes.DuplicateResource },
        { "a key twice in one mapping is a mistake", Agent("a", "level: L1\nlevel: L2"), DiagnosticCodes.DuplicateKey },
        { "tabs do not indent YAML", Agent("a", "\tlevel: L1"), DiagnosticCodes.TabIndentation },
        { "a bell is no YAML character (go-yaml: control characters are not allowed)", Agent("a", "displayName: An\u0007a"), DiagnosticCodes.ControlCharacter },
        { "an escape sequence's ESC is no YAML character", Agent("a", "displayName: \u001b[31mAna"), DiagnosticCodes.ControlCharacter },
        { "a NUL byte is no YAML character, even at the end", Agent("a", "active: true\u0000"), DiagnosticCodes.ControlCharacter },
        { "DEL is no YAML character", Agent("a", "displayName: 'A\u007fna'"), DiagnosticCodes.ControlCharacter },
        { "a C1 control is no YAML character", Agent("a", "displayName: \"A\u0090na\""), DiagnosticCodes.ControlCharacter },
        { "U+FFFF is no YAML character", Agent("a", "displayName: A\uFFFFna"), DiagnosticCodes.ControlCharacter },
        { "a control character in a JSON string is refused too", "{\"apiVersion\": \"support.reconciler.dev/v1alpha1\", \"kind\": \"Role\", \"metadata\": {\"name\": \"r\"}, \"spec\": {\"displayName\": \"R\u0001\"}}", DiagnosticCodes.ControlCharacter },
        { "broken YAML is reported, not thrown", Agent("a", "level: [L1"), DiagnosticCodes.YamlSyntax },
        { "an alias needs an anchor", Agent("a", "level: *nowhere"), DiagnosticCodes.YamlSyntax },
        { "mapping keys are scalars", Agent("a", "? [a, b]\n: c"), DiagnosticCodes.NonScalarKey },
        { "a quoted Helm template was never rendered", Agent("a", "level: \"{{ .Values.level }}\""), DiagnosticCodes.UnrenderedTemplate },
        { "an unquoted Helm template was never rendered", Agent("a", "level: {{ .Values.level }}"), DiagnosticCodes.UnrenderedTemplate },
        { "a template inside text was never rendered", Agent("a", "categories: ['billing {{ include \"name\" . }}']"), DiagnosticCodes.UnrenderedTemplate },
        { "a trimming template action breaks the YAML and says why", Agent("a", "level: {{- .Values.level }}"), DiagnosticCodes.UnrenderedTemplate },
        { "a template in a list was never rendered", Agent("a", "languages: [en, \"{{ $lang }}\"]"), DiagnosticCodes.UnrenderedTemplate },
        { "a merge key takes a mapping", Agent("a", "<<: just-text"), DiagnosticCodes.MergeKey },
        { "merged keys are checked like written ones", Agent("a", "<<: {level: L9}"), DiagnosticCodes.EnumValue },
        { "a merge after a key it sets overrides it to kubectl, not to the merge rules", Agent("a", "level: L1\n<<: {level: L2}"), DiagnosticCodes.MergeKey },
        { "a second merge overrides the first's keys to kubectl, not to the merge rules", Agent("a", "<<: {level: L1}\n<<: {level: L2}"), DiagnosticCodes.DuplicateKey },
        { "an owner reference names its owner's uid, as the API requires", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner}]}", StringComparison.Ordinal), DiagnosticCodes.MissingRequired },
        { "managed fields are a list of entries", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, managedFields: {manager: kubectl}}", StringComparison.Ordinal), DiagnosticCodes.WrongType },
        { "a field set is a mapping", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, managedFields: [{manager: kubectl, fieldsV1: [f:spec]}]}", StringComparison.Ordinal), DiagnosticCodes.WrongType },
        { "a key of a field set is checked as any map key", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, managedFields: [{fieldsV1: {f:spec: {no: {}}}}]}", StringComparison.Ordinal), DiagnosticCodes.WrongType },
        { "a value of a field set is checked as any value of its YAML type", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, managedFields: [{fieldsV1: {f:spec: {f:x: .inf}}}]}", StringComparison.Ordinal), DiagnosticCodes.WrongType },
        { "a grace period is an integer", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, deletionGracePeriodSeconds: \"30\"}", StringComparison.Ordinal), DiagnosticCodes.WrongType },
    };

    public static TheoryData<string, string> Passing => new()
    {
        { "the background set alone is valid", "" },
        { "an integer is an integer", Agent("a", "maxConcurrentChats: 50") },
        { "the lowest value of a range is in it", Agent("a", "maxConcurrentChats: 1") },
        { "a quoted number is a string", Agent("a", "mobile: \"+5511987654321\"") },
        { "yes is a boolean where a boolean is expected", Agent("a", "active: yes") },
        { "tab and C1 controls written as escapes in a double-quoted string are fine", Doc("Role", "r", "displayName: \"R\\t \\x85 \\u0090\"") },
        { "a non-breaking space is a YAML character", Doc("Role", "r", "displayName: R\u00a0S") },
        { "off is a boolean where a boolean is expected", Agent("a", "active: off") },
        { "boolean words are read in the cases go-yaml reads them", Agent("a", "active: TRUE") + Agent("b", "active: Off") + Agent("c", "active: No") + Agent("d", "active: YES") + Agent("e", "active: y") },
        { "on and yes are text where a string is expected when quoted", Doc("TagGroup", "t", "displayName: T\ntags: [{name: \"on\"}, {name: 'yes'}]") },
        { "a number with underscores is text when quoted", Doc("Role", "r", "displayName: \"1_000\"") },
        { "an unquoted HH:MM is a string in YAML 1.2", Doc("OfficeHours", "o", "timezone: UTC\nweekly: [{days: [Monday], opens: 08:00, closes: 24:00}]") },
        { "null means absent for an optional field", Agent("a", "supervisorRef: ~\nmobile: null\nlevel:") },
        { "every enum value is accepted", Agent("a", "level: Expert\ncapabilities: [Live, Chat, Search, Reports, Engagement]") },
        { "flow and block style are the same", Doc("TagGroup", "t", "displayName: T\ntags:\n  - name: a\n    color: \"#A0b1C2\"") },
        { "aliases within a document are expanded", Doc("OfficeHours", "o", "timezone: UTC\nweekly:\n  - {days: &d [Monday], opens: \"08:00\", closes: \"12:00\"}\n  - {days: *d, opens: \"13:00\", closes: \"17:00\"}") },
        { "a secret is referenced by name and key", Doc("PlatformConnection", "p", "tokenSecretRef: {name: platform, key: token}") },
        { "the least intervals are allowed", Doc("PlatformConnection", "p", "resyncInterval: 1s\nauditPollInterval: 100ms") },
        { "an interval is written in any of Go's units, up to Go's longest", Doc("PlatformConnection", "p", "resyncInterval: 2562047h\nauditPollInterval: 1h0m30s500ms") },
        { "labels and annotations are string maps", Agent("a").Replace("metadata: {name: a}", "metadata: {name: a, labels: {team: x}, annotations: {note: why}}", StringComparison.Ordinal) },
        { "status written back by the operator is accepted", Agent("a").Replace("---\n", "status: {id: \"42\", presence: Online}\n---\n", StringComparison.Ordinal) },
        { "empty documents are skipped", "---\n---\n# only a comment\n---\n" },
        { "a quoted enum value is still the value", Agent("a", "level: \"L3\"") },
        { "a merge key brings in an anchored mapping, as kubectl accepts", "apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {name: m}\nspec:\n  <<: &base {displayName: M, roleRef: {name: agent}}\n  email: m@acme.example\n---\n" },
        { "curly placeholders that are not template actions are text", Agent("a", "categories: [\"{{customer.name}}\"]") },
        { "metadata as a cluster returns it (kubectl get -o yaml --show-managed-fields) is read as the API reads it", Agent("a").Replace("metadata: {name: a}", ClusterMetadata.TrimEnd(), StringComparison.Ordinal) },
    };

    /// <summary>Every ObjectMeta field the API has, as <c>kubectl get -o yaml --show-managed-fields</c> writes them.</summary>
    internal const string ClusterMetadata = """
        metadata:
          name: a
          generateName: a-
          namespace: support
          selfLink: /apis/support.reconciler.dev/v1alpha1/namespaces/support/agents/a
          uid: 3f1c2d9e-0000-4000-8000-000000000001
          resourceVersion: "4711"
          generation: 3
          creationTimestamp: "2026-11-02T09:00:00Z"
          deletionTimestamp: "2026-11-30T09:00:00Z"
          deletionGracePeriodSeconds: 0
          labels: {team: support}
          annotations: {kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1"}'}
          ownerReferences:
          - {apiVersion: v1, kind: ConfigMap, name: owner, uid: 3f1c2d9e-0000-4000-8000-000000000002, controller: true, blockOwnerDeletion: false}
          finalizers: [support.reconciler.dev/cleanup]
          managedFields:
          - apiVersion: support.reconciler.dev/v1alpha1
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:labels:
                  .: {}
                  f:team: {}
              f:spec:
                f:languages: {}
                f:businessUnitRefs:
                  k:{"name":"support"}: {}
                v:"x": {}
            manager: kubectl-client-side-apply
            operation: Update
            time: "2026-11-02T09:00:00Z"
          - {manager: reconciler, operation: Update, subresource: status, fieldsType: FieldsV1, fieldsV1: {f:status: {f:id: {}}}}
        """;

    [Theory]
    [MemberData(nameof(Failing))]
    public void Validate_WhenTheStructureIsWrong_ReportsTheExpectedCode(string why, string documents, string code)
    {
        var report = Validate(documents);

        report.IsValid.Should().BeFalse(why);
        report.Errors().Select(d => d.Code).Should().Contain(code, $"{why}; got:\n{report.Errors().Describe()}");
    }

    [Theory]
    [MemberData(nameof(Passing))]
    public void Validate_WhenTheStructureIsRight_ReportsNothing(string why, string documents)
    {
        var report = Validate(documents);

        report.Diagnostics.Should().BeEmpty($"{why}; got:\n{report.Diagnostics.Describe()}");
    }

    // kubectl reads a file that starts with { as JSON, whose decoder takes tabs anywhere whitespace goes and refuses only
    // the C0 controls in a string.
    [Theory]
    [InlineData("{\n\t\"apiVersion\": \"support.reconciler.dev/v1alpha1\",\n\t\"kind\": \"Role\",\n\t\"metadata\": {\"name\": \"r\"},\n\t\"spec\": {\"displayName\": \"R\"}\n}\n", null)]
    [InlineData("{\"apiVersion\": \"support.reconciler.dev/v1alpha1\", \"kind\": \"Role\", \"metadata\": {\"name\": \"r\"}, \"spec\": {\"displayName\": \"R\u0090\uFFFF\"}}", null)]
    [InlineData("{\"apiVersion\": \"support.reconciler.dev/v1alpha1\", \"kind\": \"Role\", \"metadata\": {\"name\": \"r\"}, \"spec\": {\"displayName\": \"R\u007f\"}}", RuleCodes.ControlCharacter)]
    [InlineData("{\"apiVersion\": \"support.reconciler.dev/v1alpha1\", \"kind\": \"Role\", \"metadata\": {\"name\": \"r\"}, \"spec\": {\"displayName\": \"R\u0001\"}}", DiagnosticCodes.ControlCharacter)]
    public void A_JSON_file_is_held_to_JSONs_characters_not_YAMLs(string json, string? code)
    {
        var report = ManifestValidator.ValidateYaml(json, "role.json");

        report.Diagnostics.Select(d => d.Code).Should().Equal(code is null ? [] : [code], report.Diagnostics.Describe());
    }

    [Fact]
    public void Load_WithAllFieldsGiven_BindsThemToTheRecords()
    {
        var set = Load(Agent("maria", """
            mobile: "+5511987654321"
            businessUnitRefs: [{name: support}]
            level: L2
            supervisorRef: {name: boss}
            languages: [pt-BR, en]
            maxConcurrentChats: 4
            capabilities: [Live, Chat]
            active: false
            """));

        var agent = set.OfType<Resources.Agent>().Single();
        agent.Spec.Level.Should().Be(Resources.AgentLevel.L2);
        agent.Spec.BusinessUnitRefs.Select(r => r.Name).Should().Equal("support");
        agent.Spec.Capabilities.Should().Equal(Resources.AgentCapability.Live, Resources.AgentCapability.Chat);
        agent.Spec.MaxConcurrentChats.Should().Be(4);
        agent.Spec.Active.Should().BeFalse();
        agent.Source.Should().Be(new Resources.SourceSpan("test.yaml", 1, 1));
    }

    [Fact]
    public void Load_WithTheMetadataAClusterReturns_BindsItAsTheApiDefinesIt()
    {
        var metadata = Load(Agent("a").Replace("metadata: {name: a}", ClusterMetadata.TrimEnd(), StringComparison.Ordinal)).OfType<Resources.Agent>().Single().Metadata;

        metadata.Name.Should().Be("a");
        metadata.GenerateName.Should().Be("a-");
        metadata.DeletionGracePeriodSeconds.Should().Be(0);
        metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new Resources.OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = "3f1c2d9e-0000-4000-8000-000000000002", Controller = true, BlockOwnerDeletion = false });
        metadata.ManagedFields.Should().HaveCount(2);
        metadata.ManagedFields![0].Time.Should().Be(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        System.Text.Json.Nodes.JsonNode.DeepEquals(metadata.ManagedFields[0].FieldsV1, System.Text.Json.Nodes.JsonNode.Parse(
            """{"f:metadata":{"f:labels":{".":{},"f:team":{}}},"f:spec":{"f:languages":{},"f:businessUnitRefs":{"k:{\"name\":\"support\"}":{}},"v:\"x\"":{}}}"""))
            .Should().BeTrue(metadata.ManagedFields[0].FieldsV1!.ToJsonString());
        metadata.ManagedFields[1].Subresource.Should().Be("status");
    }

    [Fact]
    public void Load_WithMergeKeys_LetsWrittenKeysWinAndEarlierMergesWinOverLaterOnes()
    {
        var set = Load("""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: Agent
            metadata: {name: m}
            spec:
              <<: [&first {level: L2, maxConcurrentChats: 5}, {level: L3, displayName: From second}]
              email: m@acme.example
              roleRef: {name: agent}
              maxConcurrentChats: 7
            ---
            """);

        var agent = set.Resources.OfType<Resources.Agent>().Single();
        agent.Spec.Level.Should().Be(Resources.AgentLevel.L2);
        agent.Spec.DisplayName.Should().Be("From second");
        agent.Spec.MaxConcurrentChats.Should().Be(7);
    }

    // As kubectl sends them (go-yaml, then encoding/json): a manifest kubectl applies is one the CLI applies, with the same number.
    [Theory]
    [InlineData("0x10", 16)]
    [InlineData("0X1f", 31)]
    [InlineData("0o20", 16)]
    [InlineData("0b101", 5)]
    [InlineData("1_0", 10)]
    [InlineData("+7", 7)]
    [InlineData("5.0", 5)]
    [InlineData("1e1", 10)]
    [InlineData(".5e1", 5)]
    [InlineData("09", 9)]
    [InlineData("007", 7)]
    public void Validate_AnIntegerInAnyNotationKubectlSendsAsAWholeNumber_IsThatNumber(string written, int expected)
    {
        var report = Validate(Agent("a", $"maxConcurrentChats: {written}"));

        report.Diagnostics.Should().BeEmpty();
        report.Resources.OfType<Resources.Agent>().Single(agent => agent.Metadata.Name == "a").Spec.MaxConcurrentChats.Should().Be(expected);
    }

    [Theory]
    [InlineData("010", 8, "010 has a leading zero, so kubectl and kustomize read it as the octal 8, and so does Reconciler; write 8, or 10 without the zero, to say which you mean")]
    [InlineData("+012", 10, "+012 has a leading zero, so kubectl and kustomize read it as the octal 10, and so does Reconciler; write 10, or 12 without the zero, to say which you mean")]
    [InlineData("0_12", 10, "0_12 has a leading zero, so kubectl and kustomize read it as the octal 10, and so does Reconciler; write 10, or 12 without the zero, to say which you mean")]
    public void Validate_WhenALeadingZeroMakesAnIntegerOctal_ReadsItAsKubectlDoes_AndSaysSo(string written, int expected, string warning)
    {
        var report = Validate(Agent("a", $"maxConcurrentChats: {written}"));

        report.IsValid.Should().BeTrue();
        report.Resources.OfType<Resources.Agent>().Single(agent => agent.Metadata.Name == "a").Spec.MaxConcurrentChats.Should().Be(expected);
        report.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Severity == DiagnosticSeverity.Warning && d.Code == DiagnosticCodes.OctalInteger && d.Message == warning);
    }

    [Theory]
    [InlineData("no", "the boolean false")]
    [InlineData("On", "the boolean true")]
    [InlineData("1_000", "a number")]
    public void Validate_WhenAPlainStringIsAnotherTypeToGoYaml_SaysWhatKubectlWouldReadAndHowToQuoteIt(string written, string reading) =>
        Validate(Doc("Role", "r", $"displayName: {written}")).Errors().Single().Message.Should()
            .Be($"kubectl and kustomize read {written} as {reading} (YAML 1.1), not as text; quote it (\"{written}\") if you mean the text");

    [Theory]
    [InlineData("1e400", "a string")]
    [InlineData("-2e969", "a string")]
    [InlineData("2.5", "a number")]
    [InlineData("\"7\"", "a string")]
    [InlineData("true", "a boolean")]
    public void Validate_WhenAnIntegerFieldHoldsSomethingElse_SaysWhatKubectlWouldSend(string written, string sent) =>
        Validate(Agent("a", $"maxConcurrentChats: {written}")).Errors().Single().Message.Should().Contain($", got {sent} ");

    [Theory]
    [InlineData("noon")]
    [InlineData("yesterday")]
    [InlineData("1.2.3")]
    [InlineData("1_a")]
    [InlineData("0x")]
    [InlineData("+-1_0")]
    [InlineData("_1")]
    public void Load_WhenAPlainStringIsTextToGoYamlToo_TakesIt(string written) =>
        Load(Doc("Role", "r", $"displayName: {written}")).OfType<Resources.Role>().Single().Spec.DisplayName.Should().Be(written);

    [Fact]
    public void Validate_WhenADoubleQuotedStringEscapesASlash_SaysGoYamlCannotReadItWhereItIs()
    {
        var error = ManifestValidator.ValidateYaml(Doc("Role", "r", "displayName: \"a\\\\/b \\/c\""), "test.yaml").Errors().Single();

        error.Message.Should().StartWith("\\/ is an escape YAML 1.2 has and go-yaml (kubectl, kustomize, Argo CD, Flux) does not");
        (error.Line, error.Column).Should().Be((5, 23));
    }

    [Fact]
    public void Load_WhenALanguageKeyIsQuoted_TakesTheTextAsKubectlDoes() =>
        Load(Doc("ReplyTemplate", "hi", "shortcut: /hi\ntitle: Hi\ntexts:\n  en: Hello\n  \"no\": Hei")).OfType<Resources.ReplyTemplate>().Single()
            .Spec.Texts.Should().BeEquivalentTo(new Dictionary<string, string> { ["en"] = "Hello", ["no"] = "Hei" });

    [Fact]
    public void Load_WhenAJsonFileEscapesASlash_TakesTheSlashAsKubectlsJsonReaderDoes() =>
        Load("""{"apiVersion": "support.reconciler.dev/v1alpha1", "kind": "Role", "metadata": {"name": "r"}, "spec": {"displayName": "a\/b"}}""")
            .OfType<Resources.Role>().Single().Spec.DisplayName.Should().Be("a/b");

    [Theory]
    [InlineData("!custom Ada")]
    [InlineData("!!str Ada")]
    public void Load_WhenAStringCarriesATagGoYamlKeepsAsText_TakesTheText(string written) =>
        Load(Doc("Role", "r", $"displayName: {written}")).OfType<Resources.Role>().Single().Spec.DisplayName.Should().Be("Ada");

    [Theory]
    [InlineData("07", 7)]
    [InlineData("08", 8)]
    [InlineData("+9", 9)]
    public void Load_WhenALeadingZeroMeansTheSameToEveryReader_TakesTheNumber(string written, int expected) =>
        Load(Agent("a", $"maxConcurrentChats: {written}")).OfType<Resources.Agent>().Single().Spec.MaxConcurrentChats.Should().Be(expected);

    [Fact]
    public void Validate_WhenATemplateWasNotRendered_NamesTheFieldPathAndSendsNothing()
    {
        var report = Validate(Agent("a", "mobile: \"{{ .Values.mobile }}\""));

        var error = report.Errors().Single();
        (error.Code, error.Path).Should().Be((DiagnosticCodes.UnrenderedTemplate, "spec.mobile"));
        error.Message.Should().Contain("{{ .Values.mobile }}").And.Contain("helm template");
    }

    [Fact]
    public void Load_WhenOptionalFieldsAreMissing_AppliesTheRecordsDefaults()
    {
        var agent = Load(Agent("a")).OfType<Resources.Agent>().Single();

        agent.Spec.Level.Should().Be(Resources.AgentLevel.L1);
        agent.Spec.MaxConcurrentChats.Should().Be(3);
        agent.Spec.Active.Should().BeTrue();
        agent.Spec.Languages.Should().BeEmpty();
    }

    [Fact]
    public void Validate_WhenAnEnumValueIsWrong_PointsAtTheValueWithTheExpectedMessage()
    {
        var report = Validate(Agent("a", "level: L4"));

        var error = report.Errors().Single();
        // The background set is 29 lines; the agent's header and three fields come before level.
        (error.File, error.Line, error.Column, error.Path).Should().Be(("test.yaml", 37, 10, "spec.level"));
        error.Message.Should().Be("\"L4\" is not one of L1, L2, L3, Expert");
    }

    [Fact]
    public void Validate_WhenAFieldIsUnknown_PointsAtTheKeyAndSuggestsTheClosestField()
    {
        var report = Validate(Agent("a", "displayNmae: A"));

        var error = report.Errors().Single();
        (error.Line, error.Column, error.Path).Should().Be((37, 3, "spec.displayNmae"));
        error.Message.Should().Contain("did you mean \"displayName\"");
    }

    [Fact]
    public void Validate_WhenAKeyIsDuplicated_PointsAtTheSecondAndNamesTheFirst()
    {
        var report = ManifestValidator_ValidateOwn("a: 1\nb: 2\na: 3\n");

        var error = report.Single(d => d.Code == DiagnosticCodes.DuplicateKey);
        (error.Line, error.Column).Should().Be((3, 1));
        error.Message.Should().Contain("line 1, column 1");
    }

    [Fact]
    public void Validate_WhenAResourceIsDefinedTwice_NamesBothPositions()
    {
        var report = Validate(Agent("a") + Agent("a", email: "b@acme.example"));

        var error = report.Errors().Single(d => d.Code == DiagnosticCodes.DuplicateResource);
        (error.Line, error.Column).Should().Be((40, 18));
        error.Message.Should().Contain("Agent/a").And.Contain("test.yaml:32:18");
    }

    [Theory]
    [InlineData("oidc client secret", "type: Google\noidc: {clientId: c, clientSecret: hunter2-value}")]
    [InlineData("a literal where the reference goes", "type: Google\noidc: {clientId: c, clientSecretRef: hunter2-value}")]
    [InlineData("a field that looks like a password", "type: Google\npassword: hunter2-value")]
    public void Validate_WhenASecretIsInline_NeverEchoesIt(string why, string spec)
    {
        var report = Validate(Doc("SsoProvider", "s", spec));

        report.Errors().Should().Contain(d => d.Code == DiagnosticCodes.InlineSecret, why);
        report.Diagnostics.Should().OnlyContain(d => !d.Message.Contains("hunter2", StringComparison.Ordinal), why);
        report.Errors().First(d => d.Code == DiagnosticCodes.InlineSecret).Message.Should().StartWith("secrets are referenced, never inline");
    }

    [Fact]
    public void Validate_WhenAReferenceIsABareName_SuggestsTheObjectForm()
    {
        var report = Validate(Agent("a", "supervisorRef: boss"));

        report.Errors().Single().Message.Should().Contain("write {name: boss}");
    }

    [Fact]
    public void Load_WhenADocumentIsBroken_KeepsTheOtherDocumentsAndTheirNames()
    {
        var set = Load(Background + Agent("a", "level: L9") + Agent("b"));

        set.Resources.Select(r => r.Metadata.Name).Should().Contain("b").And.NotContain("a");
        set.Declared.Should().Contain(new Resources.ResourceId("Agent", "a"));
    }

    [Fact]
    public void Load_WhenASyntaxErrorEndsTheFile_KeepsTheDocumentsBeforeIt()
    {
        var set = Load(Background + Agent("a") + "spec: [unclosed\n");

        set.Resources.Should().HaveCount(5);
        set.Diagnostics.Should().ContainSingle(d => d.Code == DiagnosticCodes.YamlSyntax).Which.Line.Should().Be(39);
    }

    private static IReadOnlyList<Diagnostic> ManifestValidator_ValidateOwn(string yaml) => Load(yaml).Diagnostics;
}
