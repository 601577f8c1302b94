/** Demo page script: logs the events the embedded enrolment page posts (our origin only). */
const log = document.getElementById('event-log');

window.addEventListener('message', (event: MessageEvent) => {
  if (event.origin !== window.location.origin || !log) return; // only our own service
  const li = document.createElement('li');
  const time = new Date().toLocaleTimeString();
  li.textContent = `${time} ${JSON.stringify(event.data)}`;
  log.append(li);
});
