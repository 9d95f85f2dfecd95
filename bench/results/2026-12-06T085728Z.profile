# 08:57:42, 0 s: dataplane
# 08:58:09, 27 s: tcp run 1
# profile of one TCP stream through veth (cpu-clock samples, whole guest):
#   by process:     64.13%  iperf3         
#   by process:     34.35%  swapper        
#   by binary:     62.93%  iperf3           [kernel.kallsyms]   
#   by binary:     34.35%  swapper          [kernel.kallsyms]   
#   by function, all processes:     33.33%  [k] native_safe_halt
#   by function, all processes:     28.19%  [k] copy_user_enhanced_fast_string
#   by function, all processes:     20.29%  [k] clear_page_erms
#   by function, all processes:      1.51%  [k] read_hpet
#   by function, all processes:      1.32%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.71%  [k] finish_task_switch.isra.0
#   by function:     33.33%  swapper          [k] native_safe_halt
#   by function:     28.16%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:     20.22%  iperf3           [k] clear_page_erms
#   by function:      1.51%  iperf3           [k] read_hpet
#   by function:      1.23%  iperf3           [k] _raw_spin_unlock_irqrestore
# profile of one TCP stream through esptun-gcm128 (cpu-clock samples, whole guest):
#   by process:     18.73%  swapper        
#   by process:     18.45%  iperf3         
#   by process:      8.36%  kworker/u4:2   
#   by process:      7.86%  kworker/0:1-wg-
#   by process:      7.58%  kworker/0:2-eve
#   by process:      7.47%  kworker/1:1-wg-
#   by process:      7.31%  kworker/1:2-eve
#   by process:      7.29%  kworker/u4:1-ev
#   by process:      5.39%  ksoftirqd/0    
#   by process:      5.19%  ksoftirqd/1    
#   by process:      5.11%  kworker/u4:3   
#   by binary:     18.73%  swapper          [kernel.kallsyms]   
#   by binary:     17.09%  iperf3           [kernel.kallsyms]   
#   by binary:      8.36%  kworker/u4:2     [kernel.kallsyms]   
#   by binary:      7.86%  kworker/0:1-wg-  [kernel.kallsyms]   
#   by binary:      7.58%  kworker/0:2-eve  [kernel.kallsyms]   
#   by binary:      7.47%  kworker/1:1-wg-  [kernel.kallsyms]   
#   by binary:      7.31%  kworker/1:2-eve  [kernel.kallsyms]   
#   by binary:      7.29%  kworker/u4:1-ev  [kernel.kallsyms]   
#   by binary:      5.39%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      5.19%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      5.11%  kworker/u4:3     [kernel.kallsyms]   
#   by function, all processes:     17.55%  [k] native_safe_halt
#   by function, all processes:     13.43%  [k] _encrypt_by_8_new9944
#   by function, all processes:     12.85%  [k] _encrypt_by_8_new2497
#   by function, all processes:      4.22%  [k] memset_erms
#   by function, all processes:      4.12%  [k] copy_user_enhanced_fast_string
#   by function, all processes:      3.97%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      2.49%  [k] gcmaes_crypt_by_sg
#   by function, all processes:      2.38%  [k] finish_task_switch.isra.0
#   by function, all processes:      1.89%  [k] clear_page_erms
#   by function, all processes:      1.51%  [k] read_hpet
#   by function, all processes:      1.31%  [k] queue_work_on
#   by function, all processes:      1.03%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.97%  [k] _raw_spin_unlock_irq
#   by function, all processes:      0.74%  [k] _zero_cipher_left2497
#   by function, all processes:      0.73%  [k] _zero_cipher_left9944
#   by function, all processes:      0.65%  [k] _initial_blocks_done4447
#   by function, all processes:      0.58%  [k] csum_partial_copy_generic
#   by function, all processes:      0.54%  [k] _initial_blocks_done11894
#   by function, all processes:      0.53%  [k] _T_1614950
#   by function, all processes:      0.52%  [k] __kmem_cache_alloc_node
#   by function, all processes:      0.50%  [k] csum_partial
#   by function:     17.55%  swapper          [k] native_safe_halt
#   by function:      4.08%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:      3.10%  kworker/u4:2     [k] _encrypt_by_8_new9944
#   by function:      2.75%  kworker/u4:1-ev  [k] _encrypt_by_8_new9944
#   by function:      2.43%  kworker/u4:2     [k] _encrypt_by_8_new2497
#   by function:      1.99%  iperf3           [k] _encrypt_by_8_new2497
#   by function:      1.96%  kworker/u4:1-ev  [k] _encrypt_by_8_new2497
#   by function:      1.66%  kworker/u4:3     [k] _encrypt_by_8_new9944
#   by function:      1.47%  kworker/u4:3     [k] _encrypt_by_8_new2497
#   by function:      1.27%  iperf3           [k] clear_page_erms
#   by function:      1.22%  ksoftirqd/0      [k] _encrypt_by_8_new9944
#   by function:      1.06%  ksoftirqd/1      [k] _encrypt_by_8_new9944
#   by function:      1.00%  kworker/1:2-eve  [k] _encrypt_by_8_new2497
#   by function:      0.98%  kworker/0:1-wg-  [k] _encrypt_by_8_new2497
#   by function:      0.88%  kworker/1:1-wg-  [k] _encrypt_by_8_new9944
#   by function:      0.86%  kworker/0:2-eve  [k] _encrypt_by_8_new9944
#   by function:      0.86%  kworker/1:2-eve  [k] _encrypt_by_8_new9944
#   by function:      0.83%  kworker/0:1-wg-  [k] native_queued_spin_lock_slowpath
#   by function:      0.82%  ksoftirqd/1      [k] _encrypt_by_8_new2497
#   by function:      0.82%  kworker/0:1-wg-  [k] _encrypt_by_8_new9944
#   by function:      0.81%  kworker/1:1-wg-  [k] memset_erms
#   by function:      0.76%  kworker/0:2-eve  [k] _encrypt_by_8_new2497
#   by function:      0.73%  kworker/1:1-wg-  [k] _encrypt_by_8_new2497
#   by function:      0.72%  kworker/0:1-wg-  [k] memset_erms
# profile of one TCP stream through esptun-gcm128-1cpu (cpu-clock samples, whole guest):
#   by process:     49.17%  swapper        
#   by process:     48.88%  iperf3         
#   by binary:     49.17%  swapper          [kernel.kallsyms]   
#   by binary:     48.23%  iperf3           [kernel.kallsyms]   
#   by function, all processes:     48.29%  [k] native_safe_halt
#   by function, all processes:     12.98%  [k] _encrypt_by_8_new2497
#   by function, all processes:     10.97%  [k] _encrypt_by_8_new9944
#   by function, all processes:      4.44%  [k] memset_erms
#   by function, all processes:      2.46%  [k] gcmaes_crypt_by_sg
#   by function, all processes:      1.07%  [k] read_hpet
#   by function, all processes:      0.71%  [k] csum_partial_copy_generic
#   by function, all processes:      0.60%  [k] _zero_cipher_left9944
#   by function, all processes:      0.55%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.53%  [k] _zero_cipher_left2497
#   by function, all processes:      0.53%  [k] csum_partial
#   by function, all processes:      0.52%  [k] _T_1614950
#   by function, all processes:      0.51%  [k] _initial_blocks_done4447
#   by function:     48.29%  swapper          [k] native_safe_halt
#   by function:     12.98%  iperf3           [k] _encrypt_by_8_new2497
#   by function:     10.95%  iperf3           [k] _encrypt_by_8_new9944
#   by function:      4.44%  iperf3           [k] memset_erms
#   by function:      2.46%  iperf3           [k] gcmaes_crypt_by_sg
#   by function:      1.06%  iperf3           [k] read_hpet
#   by function:      0.71%  iperf3           [k] csum_partial_copy_generic
# profile of one TCP stream through esptun-gcm128-nogso (cpu-clock samples, whole guest):
#   by process:     18.54%  iperf3         
#   by process:     17.27%  swapper        
#   by process:     14.55%  kworker/0:2-eve
#   by process:      9.68%  kworker/1:1-mm_
#   by process:      9.10%  kworker/1:2-esp
#   by process:      6.20%  ksoftirqd/0    
#   by process:      5.44%  kworker/u4:2-es
#   by process:      4.98%  kworker/u4:3-es
#   by process:      4.70%  ksoftirqd/1    
#   by process:      3.90%  kworker/u4:0-es
#   by process:      2.48%  kworker/0:1-eve
#   by process:      2.02%  kworker/u4:1-ev
#   by binary:     17.60%  iperf3           [kernel.kallsyms]   
#   by binary:     17.27%  swapper          [kernel.kallsyms]   
#   by binary:     14.55%  kworker/0:2-eve  [kernel.kallsyms]   
#   by binary:      9.68%  kworker/1:1-mm_  [kernel.kallsyms]   
#   by binary:      9.10%  kworker/1:2-esp  [kernel.kallsyms]   
#   by binary:      6.20%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      5.44%  kworker/u4:2-es  [kernel.kallsyms]   
#   by binary:      4.98%  kworker/u4:3-es  [kernel.kallsyms]   
#   by binary:      4.70%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      3.90%  kworker/u4:0-es  [kernel.kallsyms]   
#   by binary:      2.48%  kworker/0:1-eve  [kernel.kallsyms]   
#   by binary:      2.02%  kworker/u4:1-ev  [kernel.kallsyms]   
#   by function, all processes:     16.40%  [k] native_safe_halt
#   by function, all processes:     12.82%  [k] _encrypt_by_8_new9944
#   by function, all processes:     12.35%  [k] _encrypt_by_8_new2497
#   by function, all processes:      6.84%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      4.65%  [k] memset_erms
#   by function, all processes:      3.45%  [k] copy_user_enhanced_fast_string
#   by function, all processes:      2.83%  [k] gcmaes_crypt_by_sg
#   by function, all processes:      2.32%  [k] finish_task_switch.isra.0
#   by function, all processes:      2.05%  [k] clear_page_erms
#   by function, all processes:      1.91%  [k] queue_work_on
#   by function, all processes:      1.15%  [k] read_hpet
#   by function, all processes:      1.03%  [k] _raw_spin_unlock_irq
#   by function, all processes:      1.03%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.89%  [k] csum_partial_copy_generic
#   by function, all processes:      0.81%  [k] _zero_cipher_left2497
#   by function, all processes:      0.69%  [k] _initial_blocks_done4447
#   by function, all processes:      0.67%  [k] _initial_blocks_done11894
#   by function, all processes:      0.64%  [k] _zero_cipher_left9944
#   by function, all processes:      0.64%  [k] csum_partial
#   by function, all processes:      0.64%  [k] esptun_xmit
#   by function, all processes:      0.56%  [k] __kmem_cache_alloc_node
#   by function, all processes:      0.55%  [k] _T_1614950
#   by function:     16.40%  swapper          [k] native_safe_halt
#   by function:      3.41%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:      2.99%  iperf3           [k] _encrypt_by_8_new2497
#   by function:      2.48%  kworker/u4:2-es  [k] _encrypt_by_8_new9944
#   by function:      2.30%  kworker/u4:3-es  [k] _encrypt_by_8_new9944
#   by function:      1.81%  kworker/u4:0-es  [k] _encrypt_by_8_new9944
#   by function:      1.72%  kworker/0:2-eve  [k] native_queued_spin_lock_slowpath
#   by function:      1.68%  kworker/0:2-eve  [k] _encrypt_by_8_new2497
#   by function:      1.59%  kworker/1:2-esp  [k] native_queued_spin_lock_slowpath
#   by function:      1.58%  kworker/1:2-esp  [k] _encrypt_by_8_new2497
#   by function:      1.45%  iperf3           [k] clear_page_erms
#   by function:      1.45%  kworker/1:1-mm_  [k] native_queued_spin_lock_slowpath
#   by function:      1.36%  ksoftirqd/0      [k] _encrypt_by_8_new9944
#   by function:      1.35%  kworker/0:2-eve  [k] memset_erms
#   by function:      1.34%  kworker/1:1-mm_  [k] _encrypt_by_8_new2497
#   by function:      1.31%  kworker/0:2-eve  [k] _encrypt_by_8_new9944
#   by function:      1.02%  ksoftirqd/1      [k] _encrypt_by_8_new2497
#   by function:      0.94%  kworker/1:1-mm_  [k] _encrypt_by_8_new9944
#   by function:      0.87%  ksoftirqd/0      [k] _encrypt_by_8_new2497
#   by function:      0.84%  kworker/u4:1-ev  [k] _encrypt_by_8_new9944
#   by function:      0.81%  kworker/1:2-esp  [k] memset_erms
#   by function:      0.79%  kworker/u4:2-es  [k] _encrypt_by_8_new2497
#   by function:      0.76%  kworker/u4:0-es  [k] _encrypt_by_8_new2497
#   by function:      0.73%  kworker/1:1-mm_  [k] memset_erms
#   by function:      0.71%  iperf3           [k] native_queued_spin_lock_slowpath
# profile of one TCP stream through xfrm-gcm128 (cpu-clock samples, whole guest):
#   by process:     51.09%  iperf3         
#   by process:     45.83%  swapper        
#   by binary:     50.02%  iperf3           [kernel.kallsyms]   
#   by binary:     45.83%  swapper          [kernel.kallsyms]   
#   by function, all processes:     44.32%  [k] native_safe_halt
#   by function, all processes:     10.95%  [k] _encrypt_by_8_new2497
#   by function, all processes:      9.91%  [k] _encrypt_by_8_new9944
#   by function, all processes:      2.49%  [k] memset_erms
#   by function, all processes:      2.25%  [k] gcmaes_crypt_by_sg
#   by function, all processes:      1.53%  [k] copy_user_enhanced_fast_string
#   by function, all processes:      1.47%  [k] read_hpet
#   by function, all processes:      1.17%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.97%  [k] clear_page_erms
#   by function, all processes:      0.82%  [k] finish_task_switch.isra.0
#   by function, all processes:      0.60%  [k] _zero_cipher_left9944
#   by function, all processes:      0.59%  [k] _initial_blocks_done4447
#   by function, all processes:      0.54%  [k] _initial_blocks_done11894
#   by function, all processes:      0.52%  [k] _T_1614950
#   by function:     44.32%  swapper          [k] native_safe_halt
#   by function:     10.95%  iperf3           [k] _encrypt_by_8_new2497
#   by function:      9.91%  iperf3           [k] _encrypt_by_8_new9944
#   by function:      2.49%  iperf3           [k] memset_erms
#   by function:      2.25%  iperf3           [k] gcmaes_crypt_by_sg
#   by function:      1.51%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:      1.39%  iperf3           [k] read_hpet
#   by function:      0.93%  iperf3           [k] clear_page_erms
#   by function:      0.77%  iperf3           [k] _raw_spin_unlock_irqrestore
# profile of one TCP stream through esptun-cbc256 (cpu-clock samples, whole guest):
#   by process:     17.40%  iperf3         
#   by process:     13.90%  swapper        
#   by process:      9.17%  kworker/u4:3-ev
#   by process:      8.74%  kworker/0:1-mm_
#   by process:      8.58%  kworker/u4:2-es
#   by process:      8.54%  kworker/1:1-esp
#   by process:      7.81%  kworker/u4:0-es
#   by process:      6.79%  kworker/0:2-eve
#   by process:      6.43%  ksoftirqd/0    
#   by process:      6.07%  ksoftirqd/1    
#   by process:      5.81%  kworker/1:2-mm_
#   by binary:     16.38%  iperf3           [kernel.kallsyms]   
#   by binary:     13.90%  swapper          [kernel.kallsyms]   
#   by binary:      9.17%  kworker/u4:3-ev  [kernel.kallsyms]   
#   by binary:      8.74%  kworker/0:1-mm_  [kernel.kallsyms]   
#   by binary:      8.58%  kworker/u4:2-es  [kernel.kallsyms]   
#   by binary:      8.54%  kworker/1:1-esp  [kernel.kallsyms]   
#   by binary:      7.81%  kworker/u4:0-es  [kernel.kallsyms]   
#   by binary:      6.79%  kworker/0:2-eve  [kernel.kallsyms]   
#   by binary:      6.43%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      6.07%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      5.81%  kworker/1:2-mm_  [kernel.kallsyms]   
#   by function, all processes:     20.76%  [k] loop1
#   by function, all processes:     13.27%  [k] native_safe_halt
#   by function, all processes:      8.96%  [k] aesni_cbc_enc
#   by function, all processes:      6.35%  [k] aesni_cbc_dec
#   by function, all processes:      5.33%  [k] memset_erms
#   by function, all processes:      4.30%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      3.96%  [k] loop2
#   by function, all processes:      3.11%  [k] copy_user_enhanced_fast_string
#   by function, all processes:      2.52%  [k] loop3
#   by function, all processes:      1.80%  [k] clear_page_erms
#   by function, all processes:      1.38%  [k] finish_task_switch.isra.0
#   by function, all processes:      0.97%  [k] read_hpet
#   by function, all processes:      0.94%  [k] queue_work_on
#   by function, all processes:      0.78%  [k] _aesni_enc1
#   by function, all processes:      0.76%  [k] crng_make_state
#   by function, all processes:      0.75%  [k] memcpy_erms
#   by function, all processes:      0.68%  [k] csum_partial_copy_generic
#   by function, all processes:      0.61%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.57%  [k] sha256_finup.part.0
#   by function:     13.27%  swapper          [k] native_safe_halt
#   by function:      3.82%  kworker/u4:3-ev  [k] loop1
#   by function:      3.44%  kworker/u4:2-es  [k] loop1
#   by function:      3.11%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:      2.86%  kworker/u4:0-es  [k] loop1
#   by function:      2.05%  iperf3           [k] loop1
#   by function:      1.81%  ksoftirqd/1      [k] loop1
#   by function:      1.71%  ksoftirqd/0      [k] loop1
#   by function:      1.62%  iperf3           [k] aesni_cbc_enc
#   by function:      1.54%  kworker/1:1-esp  [k] loop1
#   by function:      1.47%  kworker/0:1-mm_  [k] loop1
#   by function:      1.40%  kworker/u4:0-es  [k] aesni_cbc_enc
#   by function:      1.37%  kworker/u4:3-ev  [k] aesni_cbc_enc
#   by function:      1.27%  kworker/u4:2-es  [k] aesni_cbc_enc
#   by function:      1.27%  kworker/u4:3-ev  [k] aesni_cbc_dec
#   by function:      1.16%  iperf3           [k] clear_page_erms
#   by function:      1.10%  kworker/0:2-eve  [k] loop1
#   by function:      1.08%  kworker/u4:2-es  [k] aesni_cbc_dec
#   by function:      1.02%  kworker/0:1-mm_  [k] memset_erms
#   by function:      0.99%  kworker/u4:0-es  [k] aesni_cbc_dec
#   by function:      0.97%  kworker/1:1-esp  [k] memset_erms
#   by function:      0.96%  kworker/1:2-mm_  [k] loop1
#   by function:      0.92%  kworker/0:1-mm_  [k] native_queued_spin_lock_slowpath
#   by function:      0.91%  kworker/0:2-eve  [k] memset_erms
#   by function:      0.84%  kworker/1:2-mm_  [k] memset_erms
#   by function:      0.82%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      0.77%  kworker/1:1-esp  [k] native_queued_spin_lock_slowpath
#   by function:      0.72%  iperf3           [k] memset_erms
# profile of one TCP stream through xfrm-cbc256 (cpu-clock samples, whole guest):
#   by process:     33.52%  iperf3         
#   by process:     29.96%  swapper        
#   by process:     17.75%  ksoftirqd/0    
#   by process:     17.33%  ksoftirqd/1    
#   by binary:     32.65%  iperf3           [kernel.kallsyms]   
#   by binary:     29.96%  swapper          [kernel.kallsyms]   
#   by binary:     17.75%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:     17.33%  ksoftirqd/1      [kernel.kallsyms]   
#   by function, all processes:     29.02%  [k] native_safe_halt
#   by function, all processes:     14.42%  [k] loop1
#   by function, all processes:      9.73%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      6.86%  [k] aesni_cbc_enc
#   by function, all processes:      5.47%  [k] aesni_cbc_dec
#   by function, all processes:      2.49%  [k] loop3
#   by function, all processes:      2.36%  [k] memset_erms
#   by function, all processes:      2.33%  [k] loop2
#   by function, all processes:      2.25%  [k] copy_user_enhanced_fast_string
#   by function, all processes:      1.11%  [k] clear_page_erms
#   by function, all processes:      0.97%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.87%  [k] finish_task_switch.isra.0
#   by function, all processes:      0.75%  [k] read_hpet
#   by function:     29.02%  swapper          [k] native_safe_halt
#   by function:      6.15%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      5.35%  iperf3           [k] loop1
#   by function:      4.54%  ksoftirqd/0      [k] loop1
#   by function:      4.52%  ksoftirqd/1      [k] loop1
#   by function:      4.36%  iperf3           [k] aesni_cbc_enc
#   by function:      2.58%  ksoftirqd/0      [k] aesni_cbc_dec
#   by function:      2.56%  ksoftirqd/1      [k] aesni_cbc_dec
#   by function:      2.24%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:      1.81%  ksoftirqd/1      [k] native_queued_spin_lock_slowpath
#   by function:      1.70%  ksoftirqd/0      [k] native_queued_spin_lock_slowpath
#   by function:      1.35%  iperf3           [k] memset_erms
#   by function:      1.27%  ksoftirqd/0      [k] aesni_cbc_enc
#   by function:      1.20%  ksoftirqd/1      [k] aesni_cbc_enc
#   by function:      1.04%  iperf3           [k] loop2
#   by function:      0.98%  iperf3           [k] clear_page_erms
#   by function:      0.93%  iperf3           [k] loop3
#   by function:      0.82%  ksoftirqd/1      [k] loop3
#   by function:      0.73%  ksoftirqd/0      [k] loop2
#   by function:      0.73%  ksoftirqd/0      [k] loop3
# profile of one TCP stream through wireguard (cpu-clock samples, whole guest):
#   by process:     13.72%  iperf3         
#   by process:     13.29%  kworker/0:1-esp
#   by process:     12.58%  kworker/1:0-rcu
#   by process:      9.65%  ksoftirqd/1    
#   by process:      9.18%  ksoftirqd/0    
#   by process:      5.87%  kworker/0:0-wg-
#   by process:      5.77%  kworker/1:1-mm_
#   by process:      5.66%  kworker/1:2-eve
#   by process:      4.98%  kworker/1:3    
#   by process:      4.16%  kworker/0:2-eve
#   by process:      3.61%  kworker/0:5    
#   by process:      3.14%  kworker/1:4    
#   by process:      3.03%  kworker/0:4    
#   by process:      2.21%  swapper        
#   by process:      2.11%  kworker/1:5    
#   by binary:     13.29%  kworker/0:1-esp  [kernel.kallsyms]   
#   by binary:     12.58%  kworker/1:0-rcu  [kernel.kallsyms]   
#   by binary:     12.43%  iperf3           [kernel.kallsyms]   
#   by binary:      9.65%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      9.18%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      5.87%  kworker/0:0-wg-  [kernel.kallsyms]   
#   by binary:      5.77%  kworker/1:1-mm_  [kernel.kallsyms]   
#   by binary:      5.66%  kworker/1:2-eve  [kernel.kallsyms]   
#   by binary:      4.98%  kworker/1:3      [kernel.kallsyms]   
#   by binary:      4.16%  kworker/0:2-eve  [kernel.kallsyms]   
#   by binary:      3.61%  kworker/0:5      [kernel.kallsyms]   
#   by binary:      3.14%  kworker/1:4      [kernel.kallsyms]   
#   by binary:      3.03%  kworker/0:4      [kernel.kallsyms]   
#   by binary:      2.21%  swapper          [kernel.kallsyms]   
#   by binary:      2.11%  kworker/1:5      [kernel.kallsyms]   
#   by function, all processes:     31.17%  [k] chacha_8block_xor_avx2
#   by function, all processes:      6.49%  [k] poly1305_blocks_avx2
#   by function, all processes:      4.11%  [k] finish_task_switch.isra.0
#   by function, all processes:      4.00%  [k] read_hpet
#   by function, all processes:      3.36%  [k] copy_user_enhanced_fast_string
#   by function, all processes:      2.47%  [k] memset_erms
#   by function, all processes:      2.12%  [k] native_safe_halt
#   by function, all processes:      2.05%  [k] queue_work_on
#   by function, all processes:      1.85%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      1.75%  [k] __napi_schedule
#   by function, all processes:      1.70%  [k] clear_page_erms
#   by function, all processes:      1.44%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      1.02%  [k] chacha20poly1305_crypt_sg_inplace
#   by function, all processes:      0.98%  [k] _raw_spin_unlock_irq
#   by function, all processes:      0.78%  [k] chacha_permute
#   by function, all processes:      0.77%  [k] csum_partial_copy_generic
#   by function, all processes:      0.73%  [k] wg_packet_rx_poll
#   by function, all processes:      0.61%  [k] poly1305_simd_blocks
#   by function:      7.85%  kworker/0:1-esp  [k] chacha_8block_xor_avx2
#   by function:      7.69%  kworker/1:0-rcu  [k] chacha_8block_xor_avx2
#   by function:      3.35%  iperf3           [k] copy_user_enhanced_fast_string
#   by function:      3.02%  kworker/0:0-wg-  [k] chacha_8block_xor_avx2
#   by function:      2.12%  kworker/1:2-eve  [k] chacha_8block_xor_avx2
#   by function:      2.12%  swapper          [k] native_safe_halt
#   by function:      1.90%  kworker/0:2-eve  [k] chacha_8block_xor_avx2
#   by function:      1.86%  kworker/1:1-mm_  [k] chacha_8block_xor_avx2
#   by function:      1.76%  kworker/0:1-esp  [k] poly1305_blocks_avx2
#   by function:      1.69%  kworker/0:5      [k] chacha_8block_xor_avx2
#   by function:      1.64%  kworker/1:3      [k] chacha_8block_xor_avx2
#   by function:      1.51%  iperf3           [k] read_hpet
#   by function:      1.45%  kworker/1:0-rcu  [k] poly1305_blocks_avx2
#   by function:      1.32%  kworker/0:4      [k] chacha_8block_xor_avx2
#   by function:      1.19%  iperf3           [k] clear_page_erms
#   by function:      1.18%  kworker/1:4      [k] chacha_8block_xor_avx2
#   by function:      0.89%  ksoftirqd/1      [k] memset_erms
#   by function:      0.89%  kworker/1:5      [k] chacha_8block_xor_avx2
#   by function:      0.76%  ksoftirqd/0      [k] native_queued_spin_lock_slowpath
#   by function:      0.76%  ksoftirqd/1      [k] read_hpet
#   by function:      0.76%  kworker/0:1-esp  [k] __napi_schedule
# 09:01:08, 206 s: udp run 1
# 09:03:14, 332 s: tcrypt
# 09:04:19, 397 s: done
# 0 measurements failed
