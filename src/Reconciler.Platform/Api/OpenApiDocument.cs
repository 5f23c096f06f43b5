using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Reconciler.Platform.Api;

/// <summary>Shapes the served OpenAPI document so that it is stable (no server URLs) and checked in as docs/openapi/platform-v1.json.</summary>
internal static class OpenApiDocument
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Reconciler reference platform Admin API",
                Version = "v1",
                Description = "Organisation configuration of a customer-support platform: agents, roles, business units, office hours, " +
                    "SSO providers, tag groups, channels (with their reported connection state), the organisation profile, the permission catalog and the audit trail. " +
                    "Bearer tokens with admin:read / admin:write scopes; ETag/If-Match; Idempotency-Key on create; problem+json errors.",
            };
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "Admin API token" },
            };
            return Task.CompletedTask;
        });
    }
}
