using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Reconciler.Platform.Api;

/// <summary>Shapes the served OpenAPI document so that it is stable (no server URLs) and checked in as docs/openapi/platform-v1.json.</summary>
internal static class OpenApiDocument
{
    private const string BearerScheme = "bearer";

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
                [BearerScheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "Admin API token" },
            };
            // Every operation needs a token; declared once for the document, as the gatekeeper applies it to every route.
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // What the gatekeeper and the rate limiter answer before any handler runs, on every operation.
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or not a valid one." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token lacks the scope (admin:read to read, admin:write to change)." });
            operation.Responses.TryAdd("429", new OpenApiResponse
            {
                Description = "Over the token's rate limit.",
                Headers = RetryAfter(),
            });
            operation.Responses.TryAdd("503", new OpenApiResponse
            {
                Description = "The server cannot serve the request now: still starting, its database busy (a pool exhausted, a write that lost to contention), or an injected fault. Retry after Retry-After seconds; a create with the same Idempotency-Key.",
                Headers = RetryAfter(),
            });
            if (!HttpMethods.IsGet(context.Description.HttpMethod ?? HttpMethods.Get))
                Add(operation, DocumentedParameter.ChangeReason, DocumentedParameter.RequestId, DocumentedParameter.TraceParent);
            return Task.CompletedTask;
        });
    }

    private static Dictionary<string, IOpenApiHeader> RetryAfter() =>
        new() { ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } } };

    /// <summary>Describes the query parameters and headers <paramref name="builder"/>'s handler reads for itself.</summary>
    public static RouteHandlerBuilder Documenting(this RouteHandlerBuilder builder, params DocumentedParameter[] parameters) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Add(operation, parameters);
            return Task.CompletedTask;
        });

    private static void Add(OpenApiOperation operation, params DocumentedParameter[] parameters)
    {
        operation.Parameters ??= [];
        foreach (var parameter in parameters)
            operation.Parameters.Add(parameter.ToOpenApi());
    }
}
