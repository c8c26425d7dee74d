// The status page: what `GET /health` says, refreshed every few seconds.
interface ComponentStatus { state: 'up' | 'starting' | 'down'; detail: string; since: string }
interface HealthReport { status: 'ok' | 'starting' | 'fault'; components: Record<string, ComponentStatus> }

const overall = document.getElementById('overall') as HTMLElement;
const tbody = document.querySelector('#components tbody') as HTMLTableSectionElement;

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function render(report: HealthReport): void {
  overall.textContent = report.status === 'ok' ? 'All systems up' : report.status === 'starting' ? 'Starting…' : 'Fault';
  overall.className = `status-${report.status}`;
  tbody.replaceChildren(
    ...Object.entries(report.components).map(([name, c]) => {
      const tr = document.createElement('tr');
      tr.append(cell(name), cell(c.state, `state-${c.state}`), cell(c.detail), cell(new Date(c.since).toLocaleString()));
      return tr;
    }),
  );
}

async function refresh(): Promise<void> {
  try {
    const res = await fetch('/health', { cache: 'no-store' });
    render((await res.json()) as HealthReport);
  } catch {
    overall.textContent = 'Box not reachable';
    overall.className = 'status-fault';
  }
}

void refresh();
setInterval(() => void refresh(), 3000);
