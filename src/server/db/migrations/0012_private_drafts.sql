-- A deconfliction notification its organisation has not submitted (a draft, or a draft cancelled)
-- tells nobody anything yet: whatever its marking, only its own organisation sees it, and its
-- history with it. The viewer's organisation is set per transaction beside the clearance.

CREATE FUNCTION concord_own_organisation(org uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (current_user <> 'concord_app' AND coalesce(current_setting('concord.system', true), '') = 'on')
    OR org::text = coalesce(current_setting('concord.organisation', true), '')
$$;

DROP POLICY aid_notifications_access ON aid_notifications;
CREATE POLICY aid_notifications_access ON aid_notifications
  USING (concord_can_see(classification, releasable_to, caveats)
         AND (submitted_at IS NOT NULL OR concord_own_organisation(organisation_id)))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

-- An action row is read through its notification: the subquery runs under that table's policy.
DROP POLICY aid_notification_actions_access ON aid_notification_actions;
CREATE POLICY aid_notification_actions_access ON aid_notification_actions
  USING (concord_can_see(classification, releasable_to, caveats)
         AND EXISTS (SELECT 1 FROM aid_notifications n WHERE n.id = notification_id))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));
