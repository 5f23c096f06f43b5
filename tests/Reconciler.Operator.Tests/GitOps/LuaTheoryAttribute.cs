namespace Reconciler.Operator.Tests.GitOps;

/// <summary>A theory that needs a Lua interpreter, skipped (and counted as skipped) with the reason when none is installed.</summary>
public sealed class LuaTheoryAttribute : TheoryAttribute
{
    public LuaTheoryAttribute()
    {
        if (Lua.Interpreter is null)
            Skip = "no Lua interpreter (lua5.4, lua5.3, lua5.1 or lua) on PATH: apt-get install lua5.4 to run the Argo CD health check";
    }
}
