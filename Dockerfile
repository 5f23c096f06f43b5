# The operator image: ghcr.io/reconciler/reconciler:<version>, the Helm chart's default image.
# Built by .github/workflows/release.yml. The runtime stage holds exactly the output of the self-contained
# linux-x64 publish below (the published-operator test in tests/Reconciler.Operator.Tests runs that same
# command and then the binary end to end).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Reconciler.Cli/Reconciler.Cli.csproj -c Release -r linux-x64 --self-contained true -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app/publish/ /app/
# Nothing is written outside /tmp (the chart mounts an emptyDir there), so a read-only root filesystem works;
# without diagnostics .NET does not even need /tmp for its IPC socket.
ENV DOTNET_EnableDiagnostics=0 \
    TMPDIR=/tmp
# The non-root user of the ASP.NET images (uid 1654); the chart may run it as another non-root uid.
USER $APP_UID
EXPOSE 8080 8081
ENTRYPOINT ["/app/reconciler"]
CMD ["operator"]
