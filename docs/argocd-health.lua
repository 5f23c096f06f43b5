-- Argo CD health check for the support.reconciler.dev kinds (Agent, Role, PlatformConnection, ...).
-- Install it under resource.customizations.health.support.reconciler.dev_<Kind> in argocd-cm (docs/operations.md).
-- It reads what the operator writes: observedGeneration, then Stalled / Reconciling (present only while True),
-- then Ready; the paused annotation is Suspended, as Argo CD shows other things that were stopped on purpose.
hs = {}

local function condition(conditions, type)
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c)
  local reason = c.reason or c.type
  if c.message ~= nil and c.message ~= "" then
    return reason .. ": " .. c.message
  end
  return reason
end

-- Deletion first, as the operator: a paused resource being deleted is still released.
if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "being deleted: the operator releases the platform object"
  return hs
end

local annotations = obj.metadata.annotations or {}
local paused = annotations["support.reconciler.dev/paused"]
if paused ~= nil and string.lower(paused) == "true" then
  hs.status = "Suspended"
  hs.message = "paused by the support.reconciler.dev/paused annotation"
  return hs
end

local status = obj.status or {}
if status.observedGeneration == nil or obj.metadata.generation == nil or status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to reconcile generation " .. tostring(obj.metadata.generation)
  return hs
end

local conditions = status.conditions or {}
-- The operator reports a pause as Synced=False, reason Paused: stopped on purpose, neither stuck nor working.
local synced = condition(conditions, "Synced")
if synced ~= nil and synced.status == "False" and synced.reason == "Paused" then
  hs.status = "Suspended"
  hs.message = describe(synced)
  return hs
end

local stalled = condition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

local reconciling = condition(conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

local ready = condition(conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  local drifted = condition(conditions, "Drifted")
  if drifted ~= nil and drifted.status == "True" then
    hs.message = "drift reported, not corrected (driftPolicy Report): " .. describe(drifted)
  end
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = describe(ready)
else
  hs.message = "waiting for the operator's first status"
end
return hs
