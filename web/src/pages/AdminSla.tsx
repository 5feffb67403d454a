// Admin → Service levels: business hours (calendars), SLA policies in matching order, and
// the service standards the report measures.
// Loaded on demand (only admins open it), so the agent app's first load stays small.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type BusinessCalendar, type ServiceStandard, type SlaPolicy } from "../api";
import { byPosition } from "../lib/sla";
import { byStandardPosition } from "../lib/standards";
import { ErrorBanner, Spinner } from "../components/bits";
import type { Directory } from "./slaAdminShared";
import { CalendarsSection } from "./SlaCalendars";
import { PoliciesSection } from "./SlaPolicies";
import { StandardsSection } from "./SlaStandards";
import "./adminMail.css";
import "./adminSla.css";

export default function SlaTab() {
  const { t } = useTranslation();
  const [calendars, setCalendars] = useState<BusinessCalendar[] | null>(null);
  const [policies, setPolicies] = useState<SlaPolicy[] | null>(null);
  const [standards, setStandards] = useState<ServiceStandard[] | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(() => {
    setLoadError(null);
    return Promise.all([api.calendars(), api.slaPolicies(), api.organisations(), api.teams(), api.serviceStandards()])
      .then(([c, p, o, tm, st]) => {
        setCalendars(c.calendars);
        setPolicies([...p.policies].sort(byPosition));
        setStandards([...st.standards].sort(byStandardPosition));
        const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
        setDirectory({ organisations: [...o.organisations].sort(byName), teams: [...tm.teams].sort(byName) });
      })
      .catch(setLoadError);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (!calendars || !policies || !standards || !directory)
    return loadError ? <ErrorBanner error={loadError} onRetry={() => void load()} /> : <Spinner />;
  return (
    <div className="sla-admin" data-testid="sla-admin">
      <p className="sla-intro">{t("admin.sla.intro")}</p>
      <CalendarsSection calendars={calendars} policies={policies} standards={standards} setCalendars={setCalendars} reload={load} />
      <PoliciesSection calendars={calendars} policies={policies} directory={directory} setPolicies={setPolicies} reload={load} />
      <StandardsSection calendars={calendars} standards={standards} setStandards={setStandards} reload={load} />
    </div>
  );
}

