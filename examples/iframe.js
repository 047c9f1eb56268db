// The portal hears the framed app through postMessage, from its own origin only.
const list = document.getElementById('portal-messages');
window.addEventListener('message', (event) => {
  if (event.origin !== window.location.origin) return;
  const type = event.data && event.data.type;
  if (typeof type !== 'string' || !type.startsWith('trustfill:')) return;
  const item = document.createElement('li');
  item.dataset.message = type;
  item.textContent = `${type} ${JSON.stringify(event.data.detail)}`;
  list.prepend(item);
});
